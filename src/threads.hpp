// A fixed pool of worker threads, created once at setup. run() hands out work items
// dynamically; callers make results independent of which worker takes which item (each item
// writes only its own outputs), so the thread count never changes a result.
//
// Built with -Dthreads=false (MIMKIT_THREADS=0, for hosts without threads such as newlib's
// libstdc++, which has no std::thread or std::mutex), the same interface runs every item on the
// calling thread, includes no threading header and accepts only threads = 1.
#pragma once

#include <cstddef>

#include "mimkit/status.hpp"

#if !defined(MIMKIT_THREADS)
#error "MIMKIT_THREADS must be 0 or 1 (meson.build sets it from -Dthreads)"
#endif

#if MIMKIT_THREADS
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#endif

namespace mimkit {

class ThreadPool {
 public:
  static constexpr std::size_t kMaxThreads = MIMKIT_THREADS ? 256 : 1;
  /// A work item: `item` < items, `worker` < threads() identifies the caller's scratch.
  using Task = void (*)(void* context, std::size_t item, std::size_t worker);

  ThreadPool() = default;
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  ~ThreadPool();

  /// Starts threads - 1 workers (the calling thread is worker 0). 1 <= threads <= kMaxThreads.
  Status start(std::size_t threads) noexcept;
  std::size_t threads() const noexcept { return threads_; }

  /// Runs task(context, i, worker) for i = 0..items-1 and returns when all are done.
  /// Allocation-free; not reentrant.
  void run(std::size_t items, Task task, void* context) noexcept;

 private:
  std::size_t threads_ = 1;
#if MIMKIT_THREADS
  void worker_loop(std::size_t worker) noexcept;
  void drain(std::size_t worker) noexcept;

  std::thread workers_[kMaxThreads];
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::size_t generation_ = 0;
  std::size_t busy_ = 0;
  bool stop_ = false;
  Task task_ = nullptr;
  void* context_ = nullptr;
  std::size_t items_ = 0;
  std::atomic<std::size_t> next_{0};
#endif
};

}  // namespace mimkit
