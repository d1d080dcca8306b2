#include "threads.hpp"

namespace mimkit {

Status ThreadPool::start(std::size_t threads) noexcept {
  if (threads < 1 || threads > kMaxThreads) {
    return Status::error(Code::invalid_argument, "threads",
                         MIMKIT_THREADS ? "threads = %zu is out of range (allowed: 1..%zu)"
                                        : "threads = %zu is out of range (allowed: 1..%zu: this "
                                          "build has no threads, -Dthreads=false)",
                         threads, kMaxThreads);
  }
  threads_ = threads;
#if MIMKIT_THREADS
  for (std::size_t i = 1; i < threads; ++i) {
    workers_[i] = std::thread([this, i] { worker_loop(i); });
  }
#endif
  return Status();
}

#if !MIMKIT_THREADS

ThreadPool::~ThreadPool() = default;

void ThreadPool::run(std::size_t items, Task task, void* context) noexcept {
  for (std::size_t i = 0; i < items; ++i) task(context, i, 0);
}

#else

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::size_t i = 1; i < threads_; ++i) {
    if (workers_[i].joinable()) workers_[i].join();
  }
}

void ThreadPool::drain(std::size_t worker) noexcept {
  for (;;) {
    const std::size_t item = next_.fetch_add(1, std::memory_order_relaxed);
    if (item >= items_) return;
    task_(context_, item, worker);
  }
}

void ThreadPool::worker_loop(std::size_t worker) noexcept {
  std::size_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    drain(worker);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (--busy_ == 0) done_.notify_one();
    }
  }
}

void ThreadPool::run(std::size_t items, Task task, void* context) noexcept {
  if (threads_ == 1 || items <= 1) {
    for (std::size_t i = 0; i < items; ++i) task(context, i, 0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = task;
    context_ = context;
    items_ = items;
    next_.store(0, std::memory_order_relaxed);
    busy_ = threads_ - 1;
    ++generation_;
  }
  wake_.notify_all();
  drain(0);
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return busy_ == 0; });
}

#endif  // MIMKIT_THREADS

}  // namespace mimkit
