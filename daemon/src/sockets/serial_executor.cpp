#include "serial_executor.h"

#include <boost/asio/post.hpp>
#include <cstdio>
#include <cstdlib>

namespace wasi_socketd::sockets {
namespace detail {

// Runs the sequence from an io thread. If the io_context drops it unrun (shutdown), the queued
// work is dropped with it: nothing else would ever run it, and it may hold the queue alive.
class SerialQueue::Drainer {
 public:
  explicit Drainer(std::shared_ptr<SerialQueue> queue) : queue_(std::move(queue)) {}
  Drainer(Drainer&& other) noexcept = default;
  Drainer& operator=(Drainer&&) = delete;
  ~Drainer() {
    if (queue_) queue_->abandon();
  }

  void operator()() {
    std::shared_ptr<SerialQueue> queue = std::move(queue_);
    Running running(*queue);
    queue->drain();
  }

 private:
  std::shared_ptr<SerialQueue> queue_;
};

SerialQueue::SerialQueue(boost::asio::io_context::executor_type io, SequenceCheck check)
    : io_(std::move(io)), check_(check) {}

SerialQueue::~SerialQueue() = default;

SerialQueue::Running::Running(SerialQueue& queue) : queue_(queue) {
  current_ = &queue_;
  queue_.active_.store(true, std::memory_order_relaxed);
}

SerialQueue::Running::~Running() {
  queue_.active_.store(false, std::memory_order_relaxed);
  current_ = nullptr;
  queue_.release();
}

bool SerialQueue::try_claim() {
  std::lock_guard lock(mutex_);
  if (claimed_) return false;
  claimed_ = true;
  return true;
}

void SerialQueue::enqueue(std::unique_ptr<SerialTask> task) {
  bool start_drainer = false;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(task));
    if (!queued_work_) {
      queued_work_.emplace(
          boost::asio::require(io_, boost::asio::execution::outstanding_work.tracked));
    }
    start_drainer = !std::exchange(claimed_, true);
  }
  if (start_drainer) post_drainer();
}

std::unique_ptr<SerialTask> SerialQueue::pop() {
  std::lock_guard lock(mutex_);
  if (queue_.empty()) return nullptr;
  std::unique_ptr<SerialTask> task = std::move(queue_.front());
  queue_.pop_front();
  if (queue_.empty()) queued_work_.reset();
  return task;
}

void SerialQueue::drain() {
  const auto deadline = std::chrono::steady_clock::now() + kMaxInlineTime;
  for (int ran = 0; ran < kMaxInlineItems; ++ran) {
    std::unique_ptr<SerialTask> task = pop();
    if (!task) return;
    task->run();
    task.reset();  // its captures die on the sequence too
    if (std::chrono::steady_clock::now() >= deadline) return;
  }
}

void SerialQueue::release() {
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
      claimed_ = false;
      return;
    }
  }
  post_drainer();  // still claimed: the drainer owns the sequence now
}

void SerialQueue::post_drainer() { boost::asio::post(io_, Drainer(shared_from_this())); }

void SerialQueue::abandon() {
  std::deque<std::unique_ptr<SerialTask>> dropped;
  {
    std::lock_guard lock(mutex_);
    dropped.swap(queue_);
    queued_work_.reset();
    claimed_ = false;
  }
}

void SerialQueue::check_on_sequence() const {
  const char* problem = nullptr;
  if (current_ == this) {
    return;
  } else if (current_ != nullptr) {
    problem = "from inside another sequence";
  } else if (check_ == SequenceCheck::strict) {
    problem = "from a thread that is not running it";
  } else if (active_.load(std::memory_order_relaxed)) {
    problem = "while another thread runs it";
  } else {
    return;
  }
  std::fprintf(stderr, "wasi-socketd: sequence check failed: state of a sequence touched %s\n",
               problem);
  std::abort();
}

}  // namespace detail

SerialExecutor::SerialExecutor(boost::asio::io_context& io, SequenceCheck check)
    : queue_(std::make_shared<detail::SerialQueue>(io.get_executor(), check)) {}

}  // namespace wasi_socketd::sockets
