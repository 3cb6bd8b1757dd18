// The executor every core object lives on: its session's strand.
//
// A Strand is an Asio strand whose handlers run while holding the strand's StrandGate. That lets
// a thread outside the io_context (a gRPC thread answering a call) do the session's work directly
// when no handler is running — StrandGate::try_enter() — instead of posting it and waking an io
// thread: the gate gives the same mutual exclusion as the strand, without the two thread hops.
// "On the strand" therefore means: inside a handler of the strand, or holding its gate.
#pragma once

#include <boost/asio/execution.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>

namespace wasi_socketd::sockets {

// Mutual exclusion between a strand's handlers and work done for it by other threads.
class StrandGate {
 public:
  // Any thread that is not running a handler of this strand. The returned lock owns the gate
  // (the caller is then "on the strand" until it releases it) or is empty when a handler runs.
  // Never blocks.
  std::unique_lock<std::mutex> try_enter() { return {mutex_, std::try_to_lock}; }

 private:
  template <class Inner>
  friend class GatedExecutor;
  std::mutex mutex_;
};

// The strand's inner executor: runs each batch of strand handlers holding the gate, otherwise
// behaves as `Inner` (every property is forwarded to it).
template <class Inner>
class GatedExecutor {
 public:
  GatedExecutor(Inner inner, std::shared_ptr<StrandGate> gate)
      : inner_(std::move(inner)), gate_(std::move(gate)) {}

  StrandGate& gate() const { return *gate_; }

  template <class Function>
  void execute(Function&& function) const {
    boost::asio::execution::execute(
        inner_, [gate = gate_, function = std::forward<Function>(function)]() mutable {
          std::lock_guard lock(gate->mutex_);
          function();
        });
  }

  template <class Property>
  auto query(const Property& property) const
      -> decltype(boost::asio::query(std::declval<const Inner&>(), property)) {
    return boost::asio::query(inner_, property);
  }

  template <class Property>
  auto require(const Property& property) const -> GatedExecutor<
      std::decay_t<decltype(boost::asio::require(std::declval<const Inner&>(), property))>> {
    return {boost::asio::require(inner_, property), gate_};
  }

  template <class Property>
  auto prefer(const Property& property) const -> GatedExecutor<
      std::decay_t<decltype(boost::asio::prefer(std::declval<const Inner&>(), property))>> {
    return {boost::asio::prefer(inner_, property), gate_};
  }

  friend bool operator==(const GatedExecutor& a, const GatedExecutor& b) noexcept {
    return a.inner_ == b.inner_ && a.gate_ == b.gate_;
  }
  friend bool operator!=(const GatedExecutor& a, const GatedExecutor& b) noexcept {
    return !(a == b);
  }

 private:
  template <class>
  friend class GatedExecutor;

  Inner inner_;
  std::shared_ptr<StrandGate> gate_;
};

using Strand = boost::asio::strand<GatedExecutor<boost::asio::io_context::executor_type>>;

// A new strand (with its own gate) on `io`.
inline Strand make_strand(boost::asio::io_context& io) {
  return Strand(GatedExecutor<boost::asio::io_context::executor_type>(
      io.get_executor(), std::make_shared<StrandGate>()));
}

// The gate of `strand`.
inline StrandGate& gate_of(const Strand& strand) { return strand.get_inner_executor().gate(); }

}  // namespace wasi_socketd::sockets
