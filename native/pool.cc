// Thread pool implementation on raw pthreads (no std::thread / std::condition_variable: keeps the
// binary free of newer libstdc++ symbols). One job at a time; the job's owner holds `busy`.
// Workers set flush-to-zero / denormals-are-zero once for their lifetime (they only run our kernels).
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include <atomic>

#include "fpenv.h"

namespace simdgrad {
namespace {

constexpr size_t kMaxThreads = 256;
constexpr long kSpinNanos = 50 * 1000;  // idle workers spin this long before sleeping

struct Pool {
  pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;  // guards sleeping
  pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
  std::atomic<bool> busy{false};            // a job owner is using the pool
  std::atomic<unsigned long> generation{0};  // bumped once per job
  std::atomic<size_t> next_task{0};
  std::atomic<size_t> pending{0};  // started workers that have not yet finished the current job
  size_t ntasks = 0;
  size_t job_threads = 1;  // threads taking part in the current job, the owner included
  PoolTaskFn fn = nullptr;
  void* ctx = nullptr;
  std::atomic<size_t> num_threads{1};
  size_t started = 0;  // workers started (indices 1..started); guarded by `busy`
};

Pool& pool() {
  static Pool* p = [] {
    Pool* q = new Pool();  // never freed: workers outlive static destruction at exit
    q->num_threads.store(pool_cpu_count());
    return q;
  }();
  return *p;
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

// A worker starts with the generation current when it was created (before the job that created it
// is published), so it never skips that job.
struct WorkerStart {
  size_t index;
  unsigned long generation;
};

void* worker_main(void* arg) {
  set_flush_denormals_forever();
  WorkerStart start = *(WorkerStart*)arg;
  free(arg);
  size_t index = start.index;
  Pool& p = pool();
  unsigned long seen = start.generation;
  for (;;) {
    long spin_until = now_nanos() + kSpinNanos;
    unsigned spins = 0;
    while (p.generation.load(std::memory_order_acquire) == seen) {
      cpu_relax();
      if ((++spins & 255) == 0 && now_nanos() > spin_until) {
        pthread_mutex_lock(&p.mutex);
        while (p.generation.load(std::memory_order_acquire) == seen) pthread_cond_wait(&p.wake, &p.mutex);
        pthread_mutex_unlock(&p.mutex);
      }
    }
    seen = p.generation.load(std::memory_order_acquire);
    // Every started worker acknowledges every job, so the next job cannot begin (and overwrite the
    // job fields) before each worker has seen this one; only the first job_threads take tasks.
    if (index < p.job_threads) run_tasks(p, index);
    p.pending.fetch_sub(1, std::memory_order_acq_rel);
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
    WorkerStart* ws = (WorkerStart*)malloc(sizeof(WorkerStart));
    int rc = -1;
    if (ws) {
      ws->index = p.started + 1;
      ws->generation = p.generation.load(std::memory_order_relaxed);
      rc = pthread_create(&th, &attr, worker_main, ws);
      if (rc != 0) free(ws);
    }
    pthread_attr_destroy(&attr);
    if (rc != 0) break;  // out of threads or memory: run with what we have
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
  size_t threads = ensure_workers(p, want);
  p.fn = fn;
  p.ctx = ctx;
  p.ntasks = ntasks;
  p.job_threads = threads;
  p.next_task.store(0, std::memory_order_relaxed);
  p.pending.store(p.started, std::memory_order_relaxed);
  pthread_mutex_lock(&p.mutex);
  p.generation.fetch_add(1, std::memory_order_release);
  pthread_cond_broadcast(&p.wake);
  pthread_mutex_unlock(&p.mutex);
  run_tasks(p, 0);
  // Spin for the workers; yield now and then in case one of them is descheduled (oversubscription).
  for (unsigned spins = 1; p.pending.load(std::memory_order_acquire) != 0; ++spins) {
    cpu_relax();
    if ((spins & 4095) == 0) sched_yield();
  }
  p.busy.store(false, std::memory_order_release);
}

}  // namespace simdgrad
