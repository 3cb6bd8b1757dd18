// One WASI 0.2 `tcp-socket`: the state machine of wasi-sockets' TcpSocketOperationalSemantics.md
// over a real, non-blocking kernel socket, plus the data path of a connected socket.
//
// Threading: constructed with its session's strand; every public method must be called on that
// strand and every TcpObserver event runs on it. No locks.
//
// Ownership: always held by std::shared_ptr (create()/accept() hand one out). The session owns it.
// Asynchronous handlers hold only weak references, so dropping the last shared_ptr closes the fd
// at once (bytes still queued are dropped); close_after() instead keeps the object alive by itself
// until its writes are flushed (bounded by the linger time) and, when the guest set a positive
// SO_LINGER, until its FIN is acknowledged (bounded by that time; graceful_linger.h), and then
// closes the fd. No close() of this class ever blocks on SO_LINGER. The observer is
// a raw pointer: the session must detach it (set_observer(nullptr)) or call close()/close_after()
// before the observer dies.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>

#include "error_code.h"
#include "serial_executor.h"
#include "socket_address.h"
#include "socket_policy.h"
#include "tcp_observer.h"

namespace wasi_socketd::sockets {

class TcpStreamPump;

// WIT `shutdown-type`.
enum class ShutdownType { receive, send, both };

class TcpSocket : public std::enable_shared_from_this<TcpSocket> {
 public:
  // The states of TcpSocketOperationalSemantics.md.
  enum class State {
    unbound,
    bind_in_progress,
    bound,
    listen_in_progress,
    listening,
    connect_in_progress,
    connected,
    closed,
  };

  static constexpr std::uint32_t kDefaultListenBacklog = 128;
  static constexpr std::chrono::seconds kDefaultLinger{10};

  // create-tcp-socket. IPv6 sockets are IPV6_V6ONLY. Errors: new-socket-limit, out-of-memory,
  // not-supported; access-denied without a policy.
  static Result<std::shared_ptr<TcpSocket>> create(Strand strand, Family family,
                                                   std::shared_ptr<const SocketPolicy> policy);
  ~TcpSocket();
  TcpSocket(const TcpSocket&) = delete;
  TcpSocket& operator=(const TcpSocket&) = delete;

  void set_observer(TcpObserver* observer);  // nullptr detaches

  // --- The WIT methods, named as in tcp.wit. ---
  Result<void> start_bind(const SocketAddress& local);
  Result<void> finish_bind();
  // Non-blocking connect; its outcome arrives as TcpObserver::connect_finished.
  Result<void> start_connect(const SocketAddress& remote);
  // would-block until connect_finished; then ok (state connected) or the error (state closed).
  Result<void> finish_connect();
  Result<void> start_listen();
  Result<void> finish_listen();
  // The next pending connection not denied by policy, already connected. would-block if none.
  // The new socket has no observer yet and reads nothing before add_read_credit().
  Result<std::shared_ptr<TcpSocket>> accept();
  Result<SocketAddress> local_address() const;
  Result<SocketAddress> remote_address() const;
  bool is_listening() const { return state_ == State::listening; }
  Family address_family() const { return family_; }

  Result<void> set_listen_backlog_size(std::uint64_t value);
  Result<bool> keep_alive_enabled() const;
  Result<void> set_keep_alive_enabled(bool value);
  Result<std::uint64_t> keep_alive_idle_time() const;  // nanoseconds
  Result<void> set_keep_alive_idle_time(std::uint64_t nanoseconds);
  Result<std::uint64_t> keep_alive_interval() const;  // nanoseconds
  Result<void> set_keep_alive_interval(std::uint64_t nanoseconds);
  Result<std::uint32_t> keep_alive_count() const;
  Result<void> set_keep_alive_count(std::uint32_t value);
  Result<std::uint8_t> hop_limit() const;
  Result<void> set_hop_limit(std::uint8_t value);
  Result<std::uint64_t> receive_buffer_size() const;
  Result<void> set_receive_buffer_size(std::uint64_t value);
  Result<std::uint64_t> send_buffer_size() const;
  Result<void> set_send_buffer_size(std::uint64_t value);
  // The kernel socket for the wasi-socketd:sockets-ext options (socket_extensions.h), in the
  // states where the WIT's own options work (invalid-state while connecting or once closed).
  Result<int> extension_fd() const { return option_fd(); }
  // SO_LINGER as sockets-ext's option<duration> in ns (socket_extensions.h), for the admin view.
  Result<std::optional<std::uint64_t>> linger() const;

  // shutdown(how). invalid-state unless connected. For send/both, first waits until write() has
  // received every byte up to `write_offset` (bytes counted from the first write()) and they all
  // reached the kernel (bounded by kDefaultLinger, then it shuts down anyway). `done` always runs
  // exactly once, later, on the strand.
  void shutdown(ShutdownType how, std::uint64_t write_offset,
                std::function<void(Result<void>)> done);

  // The pollable of the socket (the spec's ready()): true unless an operation is in progress
  // and unresolved or a listener has nothing pending.
  bool ready() const;
  State state() const { return state_; }

  // --- Data path of a connected socket (see tcp_stream_pump.h). ---
  // Allow `bytes` more read-ahead. Reading stops whenever the credit is used up.
  void add_read_credit(std::uint64_t bytes);
  // Queue bytes for sending, in order, acknowledged by bytes_written. invalid-state unless
  // connected and not shut down for sending.
  Result<void> write(std::span<const std::byte> bytes);

  // Read-ahead not yet used is cut to at most `bytes` (the tenant's buffers are full).
  void cap_read_credit(std::uint64_t bytes);

  // The drop of the resource: stop reading, detach the observer, write what was sent up to
  // `write_offset` (at most for `linger`), then close. With a positive SO_LINGER t (set through
  // sockets-ext) it first shuts down for sending and waits, on the strand, until the FIN is
  // acknowledged or t passes; the close that follows cannot block. The session may forget the
  // socket at once.
  void close_after(std::uint64_t write_offset, std::chrono::milliseconds linger = kDefaultLinger);
  // Keeps `token` (the quota this socket stands for) until the kernel socket is closed, by close()
  // or by the destruction of this object, whichever comes first: a lingering socket stays charged.
  void hold_until_closed(std::shared_ptr<void> token) { held_until_closed_ = std::move(token); }
  // Close the kernel socket at once (unsent bytes are dropped); state becomes closed.
  void close();

 private:
  TcpSocket(Strand strand, Family family, std::shared_ptr<const SocketPolicy> policy,
            boost::asio::ip::tcp::socket socket, State state);

  int fd() const { return socket_.native_handle(); }
  bool in_progress() const;
  // The spec's "bound" (bound or any later state with a local address).
  bool is_bound() const;
  // Option accessors work in every state that has a usable socket.
  Result<int> option_fd() const;
  void connect_completed();
  void arm_accept_wait();
  void set_accept_ready(bool ready);
  bool accept_pending_now() const;
  void start_streams();
  // close_after()'s second part: the guest's positive linger, if any, before close().
  void close_lingering();
  void wait_for_fin_acknowledged(std::chrono::steady_clock::time_point deadline,
                                 std::chrono::milliseconds poll);
  void become_closed();
  void post_to_observer(std::function<void(TcpObserver&)> event);

  Strand strand_;
  Family family_;
  std::shared_ptr<const SocketPolicy> policy_;
  // mutable only because asio's native_handle() is not const.
  mutable boost::asio::ip::tcp::socket socket_;
  State state_;
  TcpObserver* observer_ = nullptr;

  std::uint32_t listen_backlog_ = kDefaultListenBacklog;
  std::optional<SocketAddress> remote_;          // the peer, once connecting or accepted
  std::optional<Result<void>> connect_outcome_;  // set when a started connect resolved
  bool accept_waiting_ = false;
  bool accept_ready_ = false;
  std::unique_ptr<TcpStreamPump> pump_;    // connected sockets only
  std::shared_ptr<TcpSocket> keep_alive_;  // set by close_after() until the fd is closed
  std::unique_ptr<boost::asio::steady_timer> fin_poll_;  // close_lingering() only
  std::shared_ptr<void> held_until_closed_;
};

}  // namespace wasi_socketd::sockets
