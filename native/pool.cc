// Thread pool implementation on raw pthreads (no std::thread / std::condition_variable: keeps the
// binary free of newer libstdc++ symbols). One job at a time; the job's owner holds `busy`.
// Workers *join* a job through one atomic word (generation, closed bit, joined count): the owner
// runs tasks itself, closes the job, and waits only for workers that joined. A worker that wakes
// late (descheduled on a busy machine) finds the job closed and skips it, so the owner never waits
// for a thread that did no work. Workers set flush-to-zero / denormals-are-zero for their lifetime.
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include <atomic>

#include "fpenv.h"

// pthread_create is the one symbol of ours that glibc 2.34 versioned anew (it moved from libpthread
// into libc). Binding the original version keeps prebuilds loadable on older distributions (glibc
// ≥ 2.17, DESIGN.md); newer glibc still exports it under that version.
#if defined(__GLIBC__) && defined(__x86_64__)
__asm__(".symver pthread_create,pthread_create@GLIBC_2.2.5");
#elif defined(__GLIBC__) && defined(__aarch64__)
__asm__(".symver pthread_create,pthread_create@GLIBC_2.17");
#endif

namespace simdgrad {
namespace {

constexpr size_t kMaxThreads = 256;
constexpr long kSpinNanos = 50 * 1000;  // idle workers spin this long before sleeping

// state word: bits 0..15 joined workers, bit 16 closed, bits 17.. generation
constexpr unsigned long kJoinedMask = 0xffff;
constexpr unsigned long kClosed = 1ul << 16;
constexpr int kGenShift = 17;
inline unsigned long gen_of(unsigned long s) { return s >> kGenShift; }

struct Pool {
  pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;  // guards sleeping
  pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
  std::atomic<bool> busy{false};  // a job owner is using the pool
  std::atomic<unsigned long> state{kClosed};
  std::atomic<size_t> next_task{0};
  // job fields: written by the owner before publishing, read by workers after joining
  size_t ntasks = 0;
  size_t job_threads = 1;  // threads taking part, the owner included (worker index < job_threads)
  PoolTaskFn fn = nullptr;
  void* ctx = nullptr;
  std::atomic<size_t> num_threads{0};  // 0 until first use
  size_t started = 0;  // workers started (indices 1..started); guarded by `busy`
};

// Constant-initialized static storage: no allocation, no guard variable, no destructor run at exit
// (workers outlive static destruction), and nothing that needs a newer libstdc++. The addon is linked
// with -z nodelete, so this one pool lives as long as the process even if every worker_thread that
// loaded the addon exits.
Pool g_pool;

Pool& pool() {
  if (g_pool.num_threads.load(std::memory_order_relaxed) == 0) {
    size_t zero = 0;  // first use: default to the CPUs this process may run on
    g_pool.num_threads.compare_exchange_strong(zero, pool_cpu_count(), std::memory_order_relaxed);
  }
  return g_pool;
}

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

long now_nanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

void run_tasks(Pool& p, size_t thread) {
  for (size_t t; (t = p.next_task.fetch_add(1, std::memory_order_relaxed)) < p.ntasks;) p.fn(p.ctx, t, thread);
}

// Joins the open job of generation `gen`, if it is still open.
bool try_join(Pool& p, unsigned long gen) {
  unsigned long s = p.state.load(std::memory_order_acquire);
  while (gen_of(s) == gen && !(s & kClosed)) {
    if (p.state.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel, std::memory_order_acquire)) return true;
  }
  return false;
}

void* worker_main(void* arg) {
  set_flush_denormals_forever();
  size_t index = (size_t)arg;
  Pool& p = pool();
  unsigned long seen = gen_of(p.state.load(std::memory_order_acquire));
  for (;;) {
    long spin_until = now_nanos() + kSpinNanos;
    unsigned spins = 0;
    while (gen_of(p.state.load(std::memory_order_acquire)) == seen) {
      cpu_relax();
      if ((++spins & 255) == 0 && now_nanos() > spin_until) {
        pthread_mutex_lock(&p.mutex);
        while (gen_of(p.state.load(std::memory_order_acquire)) == seen) pthread_cond_wait(&p.wake, &p.mutex);
        pthread_mutex_unlock(&p.mutex);
      }
    }
    seen = gen_of(p.state.load(std::memory_order_acquire));
    if (!try_join(p, seen)) continue;  // missed it: the owner already finished
    if (index < p.job_threads) run_tasks(p, index);
    p.state.fetch_sub(1, std::memory_order_release);
  }
  return nullptr;
}

// Starts workers up to n-1; returns how many threads (owner included) can take part.
size_t ensure_workers(Pool& p, size_t n) {
  while (p.started + 1 < n) {
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&th, &attr, worker_main, (void*)(p.started + 1));
    pthread_attr_destroy(&attr);
    if (rc != 0) break;  // out of threads: run with what we have
    ++p.started;
  }
  return p.started + 1 < n ? p.started + 1 : n;
}

}  // namespace

size_t pool_cpu_count() noexcept {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int c = CPU_COUNT(&set);
    if (c > 0) return (size_t)c;
  }
  return 1;
}

size_t pool_num_threads() noexcept { return pool().num_threads.load(std::memory_order_relaxed); }

void pool_set_num_threads(size_t n) noexcept {
  if (n < 1) n = 1;
  if (n > kMaxThreads) n = kMaxThreads;
  pool().num_threads.store(n, std::memory_order_relaxed);
}

void pool_run(size_t ntasks, PoolTaskFn fn, void* ctx, size_t max_threads) noexcept {
  if (ntasks == 0) return;
  Pool& p = pool();
  size_t want = p.num_threads.load(std::memory_order_relaxed);
  if (want > ntasks) want = ntasks;
  if (want > max_threads) want = max_threads;
  bool expected = false;
  if (want <= 1 || !p.busy.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
    for (size_t t = 0; t < ntasks; ++t) fn(ctx, t, 0);  // single-threaded, or the pool is taken
    return;
  }
  p.job_threads = ensure_workers(p, want);
  p.fn = fn;
  p.ctx = ctx;
  p.ntasks = ntasks;
  p.next_task.store(0, std::memory_order_relaxed);
  // The previous job is closed with no one joined, so the new word is: next generation, open, 0.
  unsigned long gen = gen_of(p.state.load(std::memory_order_relaxed)) + 1;
  pthread_mutex_lock(&p.mutex);
  p.state.store(gen << kGenShift, std::memory_order_release);
  pthread_cond_broadcast(&p.wake);
  pthread_mutex_unlock(&p.mutex);
  run_tasks(p, 0);
  // Close the job: late workers skip it. Then wait for those that joined (they hold tasks).
  p.state.fetch_or(kClosed, std::memory_order_acq_rel);
  for (unsigned spins = 1; (p.state.load(std::memory_order_acquire) & kJoinedMask) != 0; ++spins) {
    cpu_relax();
    if ((spins & 4095) == 0) sched_yield();
  }
  p.busy.store(false, std::memory_order_release);
}

}  // namespace simdgrad
