// The one process-wide thread pool (DESIGN.md "Threads"): created on first use, never freed, shared
// by every kernel and every worker_thread. A caller that finds the pool busy (another JS thread, or a
// task calling back in) runs its tasks itself, so concurrent callers never deadlock. Idle workers spin
// briefly, then sleep on a condition variable. Pool threads never call Node-API.
#pragma once
#include <stddef.h>

namespace simdgrad {

// Runs fn(ctx, task, thread) for task in [0, ntasks) on up to min(pool_num_threads(), max_threads)
// threads (the caller is thread 0) and returns when all are done. `thread` < max_threads, so callers
// can index per-thread scratch they sized for max_threads. A task must not call pool_run itself: the
// nested call would run inline as thread 0 and share thread 0's scratch with the caller.
typedef void (*PoolTaskFn)(void* ctx, size_t task, size_t thread);
void pool_run(size_t ntasks, PoolTaskFn fn, void* ctx, size_t max_threads = (size_t)-1) noexcept;

// Threads used by pool_run, the caller included: ≥ 1. Default: the CPUs this process may run on.
size_t pool_num_threads() noexcept;
// Sets the thread count (clamped to [1, 256]); workers are started lazily and never stopped.
void pool_set_num_threads(size_t n) noexcept;
// Number of CPUs available to the process (sched_getaffinity), ≥ 1.
size_t pool_cpu_count() noexcept;

}  // namespace simdgrad
