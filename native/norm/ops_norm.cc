// Threaded drivers for the norm kernels of the active table (see ops/parallel.h): split work over
// the pool above measured size thresholds; results must not depend on the thread count.
#include "../kernels.h"
#include "../ops/parallel.h"

namespace simdgrad {}  // namespace simdgrad
