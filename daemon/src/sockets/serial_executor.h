// The one executor of a session: a sequence of work that runs strictly one item at a time, in
// the order it was submitted, on whichever thread gets there first.
//
// Every entry point of a session goes through it: unary handlers (dispatched from gRPC threads),
// Attach reactions (posted from gRPC threads), socket-core completions and timers (io threads,
// as an Asio executor), lookup completions and admin snapshots (posted). "On the sequence" means
// inside an item it runs.
//
// dispatch (Asio's blocking.possibly, the default): a thread that runs no sequence and finds this
// one idle claims it and runs the work inline — a gRPC thread answers a call without waking an io
// thread — then drains what others queued meanwhile, at most kMaxInlineItems items or
// kMaxInlineTime, and posts a drainer to the io_context for the rest. Otherwise the work is
// queued behind what is already there and whoever runs the sequence drains it. Work submitted
// from inside the sequence is always queued (never nested), so it cannot overtake its elders.
// post (blocking.never): always queued; an idle sequence gets a drainer posted to the io_context.
//
// The queue's mutex is held only to push or pop one item, never while work runs: no thread ever
// waits for another thread's work. A thread runs at most one sequence at a time.
//
// Sequence checks (like Chromium's SEQUENCE_CHECKER): assert_on_sequence() at the entry of every
// public method of the session's objects. It aborts, in debug and sanitizer builds, when the
// caller is not on the sequence; release builds compile it out.
#pragma once

#include <atomic>
#include <boost/asio/execution.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

namespace wasi_socketd::sockets {

#if !defined(NDEBUG) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSequenceChecks = true;
#else
inline constexpr bool kSequenceChecks = false;
#endif

// What assert_on_sequence() accepts besides "this thread runs the sequence".
enum class SequenceCheck {
  // Nothing else: the daemon's sessions.
  strict,
  // Also a thread that runs no sequence while no thread runs this one. For tests that drive core
  // objects straight from the test thread between io_context runs.
  idle_from_outside,
};

namespace detail {

// One queued item of work (type-erased, move-only).
class SerialTask {
 public:
  virtual ~SerialTask() = default;
  virtual void run() = 0;
};

template <class Function>
class SerialTaskFor final : public SerialTask {
 public:
  explicit SerialTaskFor(Function function) : function_(std::move(function)) {}
  void run() override { function_(); }

 private:
  Function function_;
};

// The shared state of one sequence. Any thread.
class SerialQueue : public std::enable_shared_from_this<SerialQueue> {
 public:
  static constexpr int kMaxInlineItems = 32;
  static constexpr std::chrono::microseconds kMaxInlineTime{500};

  SerialQueue(boost::asio::io_context::executor_type io, SequenceCheck check);
  ~SerialQueue();
  SerialQueue(const SerialQueue&) = delete;
  SerialQueue& operator=(const SerialQueue&) = delete;

  template <class Function>
  void dispatch(Function&& function) {
    if (current_ == nullptr && try_claim()) {
      // The work may drop the last owner of this queue (OnDone deleting the stream that held the
      // session): keep it alive until it is released.
      const std::shared_ptr<SerialQueue> self = shared_from_this();
      Running running(*this);
      function();
      drain();
      return;
    }
    enqueue(wrap(std::forward<Function>(function)));
  }

  template <class Function>
  void post(Function&& function) {
    enqueue(wrap(std::forward<Function>(function)));
  }

  // Runs `function` now if this thread is on the sequence or can claim it (idle, and this thread
  // runs no other sequence); false, without running it, otherwise.
  template <class Function>
  bool run_now_if_idle(Function&& function) {
    if (current_ == this) {
      function();
      return true;
    }
    if (current_ != nullptr || !try_claim()) return false;
    Running running(*this);
    function();
    return true;
  }

  bool running_in_this_thread() const noexcept { return current_ == this; }
  // Aborts with a message unless the caller may touch the sequence's state (see SequenceCheck).
  void check_on_sequence() const;
  const boost::asio::io_context::executor_type& io() const noexcept { return io_; }

 private:
  // Marks this thread as running the sequence; on destruction (also by an exception) releases it,
  // or hands it on to a posted drainer when work is left.
  class Running {
   public:
    explicit Running(SerialQueue& queue);
    ~Running();
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;

   private:
    SerialQueue& queue_;
  };
  class Drainer;

  template <class Function>
  static std::unique_ptr<SerialTask> wrap(Function&& function) {
    return std::make_unique<SerialTaskFor<std::decay_t<Function>>>(
        std::forward<Function>(function));
  }
  bool try_claim();
  void enqueue(std::unique_ptr<SerialTask> task);
  std::unique_ptr<SerialTask> pop();
  // Runs queued items until the queue is empty or the inline bound is reached.
  void drain();
  // Called by Running: idle again, or a drainer posted for what is left.
  void release();
  void post_drainer();
  // The io_context dropped a drainer without running it (shutdown): drop the queued work.
  void abandon();

  using TrackedIo = std::decay_t<decltype(boost::asio::require(
      std::declval<boost::asio::io_context::executor_type>(),
      boost::asio::execution::outstanding_work.tracked))>;

  static inline thread_local const SerialQueue* current_ = nullptr;

  const boost::asio::io_context::executor_type io_;
  const SequenceCheck check_;
  std::mutex mutex_;  // guards queue_ and claimed_; held for one push or pop, never across work
  std::deque<std::unique_ptr<SerialTask>> queue_;
  // Held while queue_ is not empty: queued work keeps io_context::run() going, as posted work
  // does, even while the thread draining it is not an io thread.
  std::optional<TrackedIo> queued_work_;
  bool claimed_ = false;             // a thread runs the sequence or a drainer is posted
  std::atomic<bool> active_{false};  // a thread is inside the sequence right now
};

}  // namespace detail

// A handle on one sequence: cheap to copy, all copies are the same sequence. An Asio executor
// (execute/query/require), so sockets and timers made with it complete on the sequence.
class SerialExecutor {
 public:
  explicit SerialExecutor(boost::asio::io_context& io, SequenceCheck check = SequenceCheck::strict);

  // Runs `function` on the sequence: inline when idle (dispatch), else queued (see top).
  template <class Function>
  void dispatch(Function&& function) const {
    queue_->dispatch(std::forward<Function>(function));
  }
  // Queues `function`; never runs it inside this call.
  template <class Function>
  void post(Function&& function) const {
    queue_->post(std::forward<Function>(function));
  }
  // Runs `function` at once on the sequence if that needs no waiting; false otherwise.
  template <class Function>
  bool run_now_if_idle(Function&& function) const {
    return queue_->run_now_if_idle(std::forward<Function>(function));
  }

  bool running_in_this_thread() const noexcept { return queue_->running_in_this_thread(); }
  // Debug and sanitizer builds: aborts unless the caller is on the sequence. Release: nothing.
  void assert_on_sequence() const {
    if constexpr (kSequenceChecks) queue_->check_on_sequence();
  }
  // The check itself, in every build (tests).
  void check_on_sequence() const { queue_->check_on_sequence(); }

  // ---- Asio executor ----
  template <class Function>
  void execute(Function&& function) const {
    if (never_blocks_) {
      post(std::forward<Function>(function));
    } else {
      dispatch(std::forward<Function>(function));
    }
  }
  boost::asio::io_context& query(boost::asio::execution::context_t) const noexcept {
    return boost::asio::query(queue_->io(), boost::asio::execution::context);
  }
  boost::asio::execution::blocking_t query(boost::asio::execution::blocking_t) const noexcept {
    if (never_blocks_) return boost::asio::execution::blocking.never;
    return boost::asio::execution::blocking.possibly;
  }
  // Every other property is the io_context's.
  template <class Property>
  auto query(const Property& property) const
      -> decltype(boost::asio::query(std::declval<boost::asio::io_context::executor_type>(),
                                     property)) {
    return boost::asio::query(queue_->io(), property);
  }
  SerialExecutor require(boost::asio::execution::blocking_t::never_t) const {
    return SerialExecutor(queue_, true);
  }
  SerialExecutor require(boost::asio::execution::blocking_t::possibly_t) const {
    return SerialExecutor(queue_, false);
  }

  friend bool operator==(const SerialExecutor& a, const SerialExecutor& b) noexcept {
    return a.queue_ == b.queue_ && a.never_blocks_ == b.never_blocks_;
  }
  friend bool operator!=(const SerialExecutor& a, const SerialExecutor& b) noexcept {
    return !(a == b);
  }

 private:
  SerialExecutor(std::shared_ptr<detail::SerialQueue> queue, bool never_blocks)
      : queue_(std::move(queue)), never_blocks_(never_blocks) {}

  std::shared_ptr<detail::SerialQueue> queue_;
  bool never_blocks_ = false;
};

// The name the socket core and the session use for their sequence.
using Strand = SerialExecutor;

// A new sequence on `io`.
inline Strand make_strand(boost::asio::io_context& io,
                          SequenceCheck check = SequenceCheck::strict) {
  return Strand(io, check);
}

}  // namespace wasi_socketd::sockets
