// Instruction-set selection: what this CPU and OS support (CPUID + XCR0 via __builtin_cpu_supports;
// NEON is the arm64 baseline), in priority order, and the table chosen for this process.
// Selection is process-wide (one atomic pointer); every worker_thread sees the same choice.
#pragma once
#include <stddef.h>

#include "kernels.h"

namespace simdgrad {

// Supported ISAs, best first, always ending with "scalar". Returns the count (≤ 4).
size_t dispatch_available(const KernelTable* out[4]) noexcept;
// The active table (the best supported one until dispatch_select is called).
const KernelTable* dispatch_current() noexcept;
// Makes the named ISA active; false when it is unknown or unsupported here.
bool dispatch_select(const char* name) noexcept;

}  // namespace simdgrad
