#include "tcp_socket.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>

#include "errno_map.h"
#include "graceful_linger.h"
#include "host_addresses.h"
#include "kernel_socket.h"
#include "tcp_stream_pump.h"

namespace wasi_socketd::sockets {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

tcp protocol_of(Family family) { return family == Family::ipv4 ? tcp::v4() : tcp::v6(); }

// Refuse a connection the policy does not allow: an RST, not a FIN, so the peer learns at once.
void reset_connection(int fd) {
  const linger abortive{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
  ::close(fd);
}

}  // namespace

// --- Creation ------------------------------------------------------------------------------

Result<std::shared_ptr<TcpSocket>> TcpSocket::create(Strand strand, Family family,
                                                     std::shared_ptr<const SocketPolicy> policy) {
  if (!policy) return ErrorCode::access_denied;  // no policy: fail closed
  auto fd = open_kernel_socket(family, SOCK_STREAM);
  if (!fd) return fd.error();
  tcp::socket socket(strand, protocol_of(family), *fd);
  return std::shared_ptr<TcpSocket>(new TcpSocket(std::move(strand), family, std::move(policy),
                                                  std::move(socket), State::unbound));
}

TcpSocket::TcpSocket(Strand strand, Family family, std::shared_ptr<const SocketPolicy> policy,
                     tcp::socket socket, State state)
    : strand_(std::move(strand)),
      family_(family),
      policy_(std::move(policy)),
      socket_(std::move(socket)),
      state_(state) {}

TcpSocket::~TcpSocket() {
  // The asio socket closes the fd next: that close must not sleep on a guest's SO_LINGER.
  if (socket_.is_open()) disarm_graceful_linger(fd());
}

void TcpSocket::set_observer(TcpObserver* observer) {
  strand_.assert_on_sequence();
  observer_ = observer;
  if (pump_) pump_->set_observer(observer);
}

bool TcpSocket::in_progress() const {
  return state_ == State::bind_in_progress || state_ == State::listen_in_progress ||
         state_ == State::connect_in_progress;
}

bool TcpSocket::is_bound() const {
  return state_ == State::bound || state_ == State::listen_in_progress ||
         state_ == State::listening || state_ == State::connect_in_progress ||
         state_ == State::connected;
}

// --- bind ----------------------------------------------------------------------------------

Result<void> TcpSocket::start_bind(const SocketAddress& local) {
  strand_.assert_on_sequence();
  if (in_progress()) return ErrorCode::concurrency_conflict;
  if (state_ != State::unbound) return ErrorCode::invalid_state;
  if (auto valid = validate_bind_address(family_, local); !valid) return valid;
  // Which addresses this host has is a fact, not a grant: a foreign address is
  // address-not-bindable under any policy, as the kernel would say.
  if (!is_bindable_on_this_host(local.ip)) return ErrorCode::address_not_bindable;
  if (!policy_->allows(Protocol::tcp, Use::bind, local)) return ErrorCode::access_denied;

  // The WIT: a bind to a port must not be blocked by TIME_WAIT of an earlier socket.
  const int on = 1;
  ::setsockopt(fd(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_storage storage;
  const socklen_t length = to_sockaddr(local, storage);
  if (::bind(fd(), reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
    return error_from_errno(SocketOperation::bind, errno);
  }
  state_ = State::bind_in_progress;
  return {};
}

Result<void> TcpSocket::finish_bind() {
  strand_.assert_on_sequence();
  if (state_ != State::bind_in_progress) return ErrorCode::not_in_progress;
  state_ = State::bound;
  return {};
}

// --- connect -------------------------------------------------------------------------------

Result<void> TcpSocket::start_connect(const SocketAddress& remote) {
  strand_.assert_on_sequence();
  if (in_progress()) return ErrorCode::concurrency_conflict;
  if (state_ != State::unbound && state_ != State::bound) return ErrorCode::invalid_state;
  if (auto valid = validate_connect_address(family_, remote); !valid) return valid;
  if (state_ == State::unbound &&
      !policy_->allows_implicit_bind(Protocol::tcp, unspecified_address(family_), remote)) {
    return ErrorCode::access_denied;
  }
  if (!policy_->allows(Protocol::tcp, Use::connect, remote)) return ErrorCode::access_denied;

  state_ = State::connect_in_progress;
  remote_ = remote;
  sockaddr_storage storage;
  const socklen_t length = to_sockaddr(remote, storage);
  int result;
  do {
    result = ::connect(fd(), reinterpret_cast<const sockaddr*>(&storage), length);
  } while (result != 0 && errno == EINTR);

  if (result != 0 && errno == EINPROGRESS) {
    socket_.async_wait(tcp::socket::wait_write,
                       asio::bind_executor(strand_, [weak = weak_from_this()](auto error) {
                         auto self = weak.lock();
                         if (!self || error == asio::error::operation_aborted) return;
                         self->connect_completed();
                       }));
    return {};
  }
  // Resolved at once (loopback often is); finish-connect reports the outcome, as usual.
  connect_outcome_ = result == 0 ? Result<void>()
                                 : Result<void>(error_from_errno(SocketOperation::connect, errno));
  post_to_observer([](TcpObserver& observer) { observer.connect_finished(); });
  return {};
}

void TcpSocket::connect_completed() {
  if (state_ != State::connect_in_progress || connect_outcome_) return;
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(fd(), SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  connect_outcome_ =
      error == 0 ? Result<void>() : Result<void>(error_from_errno(SocketOperation::connect, error));
  if (observer_ != nullptr) observer_->connect_finished();
}

Result<void> TcpSocket::finish_connect() {
  strand_.assert_on_sequence();
  if (state_ != State::connect_in_progress) return ErrorCode::not_in_progress;
  if (!connect_outcome_) return ErrorCode::would_block;
  if (!*connect_outcome_) {
    const auto error = connect_outcome_->error();
    become_closed();
    return error;
  }
  state_ = State::connected;
  start_streams();
  return {};
}

// --- listen and accept ---------------------------------------------------------------------

Result<void> TcpSocket::start_listen() {
  strand_.assert_on_sequence();
  if (in_progress()) return ErrorCode::concurrency_conflict;
  if (state_ != State::bound) return ErrorCode::invalid_state;
  auto local = kernel_local_address(fd());
  if (!local) return local.error();
  if (!policy_->allows(Protocol::tcp, Use::listen, *local)) return ErrorCode::access_denied;
  if (::listen(fd(), static_cast<int>(listen_backlog_)) != 0) {
    const auto error = error_from_errno(SocketOperation::listen, errno);
    become_closed();
    return error;
  }
  state_ = State::listen_in_progress;
  return {};
}

Result<void> TcpSocket::finish_listen() {
  strand_.assert_on_sequence();
  if (state_ != State::listen_in_progress) return ErrorCode::not_in_progress;
  state_ = State::listening;
  arm_accept_wait();
  return {};
}

void TcpSocket::arm_accept_wait() {
  if (accept_waiting_ || state_ != State::listening) return;
  accept_waiting_ = true;
  socket_.async_wait(tcp::socket::wait_read,
                     asio::bind_executor(strand_, [weak = weak_from_this()](auto error) {
                       auto self = weak.lock();
                       if (!self) return;
                       self->accept_waiting_ = false;
                       if (error || self->state_ != State::listening) return;
                       self->set_accept_ready(true);
                     }));
}

void TcpSocket::set_accept_ready(bool ready) {
  if (!ready) arm_accept_wait();
  if (accept_ready_ == ready) return;
  accept_ready_ = ready;
  post_to_observer([ready](TcpObserver& observer) { observer.accept_readiness(ready); });
}

bool TcpSocket::accept_pending_now() const {
  pollfd poll_fd{fd(), POLLIN, 0};
  return ::poll(&poll_fd, 1, 0) > 0 && (poll_fd.revents & POLLIN) != 0;
}

Result<std::shared_ptr<TcpSocket>> TcpSocket::accept() {
  strand_.assert_on_sequence();
  if (state_ != State::listening) return ErrorCode::invalid_state;
  for (;;) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    const int client = ::accept4(fd(), reinterpret_cast<sockaddr*>(&storage), &length,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR) continue;
      const auto error = error_from_errno(SocketOperation::accept, errno);
      // A connection aborted before we took it may have been the only one pending.
      set_accept_ready(error != ErrorCode::would_block && accept_pending_now());
      return error;
    }
    auto peer = from_sockaddr(reinterpret_cast<const sockaddr*>(&storage), length);
    if (!peer || !policy_->allows(Protocol::tcp, Use::accept, *peer)) {
      reset_connection(client);
      continue;
    }
    tcp::socket socket(strand_, protocol_of(family_), client);
    std::shared_ptr<TcpSocket> accepted(
        new TcpSocket(strand_, family_, policy_, std::move(socket), State::connected));
    accepted->remote_ = *peer;
    accepted->start_streams();
    set_accept_ready(accept_pending_now());
    return accepted;
  }
}

// --- addresses -----------------------------------------------------------------------------

Result<SocketAddress> TcpSocket::local_address() const {
  strand_.assert_on_sequence();
  if (!is_bound()) return ErrorCode::invalid_state;
  return kernel_local_address(fd());
}

Result<SocketAddress> TcpSocket::remote_address() const {
  strand_.assert_on_sequence();
  if (state_ != State::connected || !remote_) return ErrorCode::invalid_state;
  return *remote_;
}

// --- shutdown, readiness, data path --------------------------------------------------------

void TcpSocket::shutdown(ShutdownType how, std::uint64_t write_offset,
                         std::function<void(Result<void>)> done) {
  strand_.assert_on_sequence();
  if (state_ != State::connected || !pump_) {
    asio::post(strand_, [done = std::move(done)] { done(ErrorCode::invalid_state); });
    return;
  }
  if (how == ShutdownType::receive || how == ShutdownType::both) {
    pump_->stop_reading();
    ::shutdown(fd(), SHUT_RD);  // ENOTCONN after a peer reset: nothing left to shut
  }
  if (how == ShutdownType::receive) {
    asio::post(strand_, [done = std::move(done)] { done(Result<void>()); });
    return;
  }
  // Sending ends only after every byte the client wrote before asking.
  pump_->when_flushed(write_offset, kDefaultLinger,
                      [weak = weak_from_this(), done = std::move(done)](bool) {
                        if (auto self = weak.lock(); self && self->state_ == State::connected) {
                          self->pump_->close_output();
                          ::shutdown(self->fd(), SHUT_WR);
                        }
                        done(Result<void>());
                      });
}

bool TcpSocket::ready() const {
  strand_.assert_on_sequence();
  switch (state_) {
    case State::connect_in_progress:
      return connect_outcome_.has_value();
    case State::listening:
      return accept_ready_;
    default:  // bind and listen resolve within start-*; every other state is always ready
      return true;
  }
}

void TcpSocket::start_streams() {
  // Each guest write crosses the adapter and this daemon before the kernel: with Nagle's algorithm
  // a write-write-read exchange (a header, then a body) waits for the peer's delayed ACK, 40 ms
  // per exchange. Connected sockets send at once, as Go's do by default; bytes queued while a
  // send is in progress still leave together.
  const int on = 1;
  ::setsockopt(fd(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  pump_ = std::make_unique<TcpStreamPump>(strand_, socket_, weak_from_this());
  pump_->set_observer(observer_);
}

void TcpSocket::add_read_credit(std::uint64_t bytes) {
  strand_.assert_on_sequence();
  if (state_ == State::connected && pump_) pump_->add_read_credit(bytes);
}

void TcpSocket::cap_read_credit(std::uint64_t bytes) {
  strand_.assert_on_sequence();
  if (pump_) pump_->cap_read_credit(bytes);
}

Result<void> TcpSocket::write(std::span<const std::byte> bytes) {
  strand_.assert_on_sequence();
  if (state_ != State::connected || !pump_) return ErrorCode::invalid_state;
  return pump_->write(bytes);
}

// --- closing -------------------------------------------------------------------------------

void TcpSocket::close_after(std::uint64_t write_offset, std::chrono::milliseconds linger) {
  strand_.assert_on_sequence();
  set_observer(nullptr);
  if (state_ != State::connected || !pump_) {
    close();
    return;
  }
  pump_->stop_reading();
  keep_alive_ = shared_from_this();
  pump_->when_flushed(write_offset, linger, [weak = weak_from_this()](bool flushed) {
    auto self = weak.lock();
    if (!self) return;
    if (flushed) return self->close_lingering();
    self->close();
  });
}

void TcpSocket::close_lingering() {
  const std::optional<std::chrono::seconds> linger = graceful_linger_time(fd());
  if (!linger || state_ != State::connected || !pump_) return close();
  // What Linux's close() would do before its wait: the FIN goes out after the queued bytes.
  pump_->close_output();
  ::shutdown(fd(), SHUT_WR);
  wait_for_fin_acknowledged(std::chrono::steady_clock::now() + *linger,
                            std::chrono::milliseconds(1));
}

void TcpSocket::wait_for_fin_acknowledged(std::chrono::steady_clock::time_point deadline,
                                          std::chrono::milliseconds poll) {
  // The kernel signals no readiness for "FIN acknowledged": TCP_INFO is polled on a timer whose
  // period doubles up to 50 ms (a handful of checks per second, none blocking).
  const auto now = std::chrono::steady_clock::now();
  if (fin_acknowledged(fd()) || now >= deadline) return close();
  if (!fin_poll_) fin_poll_ = std::make_unique<asio::steady_timer>(strand_);
  fin_poll_->expires_after(std::min<std::chrono::steady_clock::duration>(poll, deadline - now));
  fin_poll_->async_wait([weak = weak_from_this(), deadline, poll](auto error) {
    auto self = weak.lock();
    if (!self || error || self->state_ == State::closed) return;
    self->wait_for_fin_acknowledged(deadline, std::min(poll * 2, std::chrono::milliseconds(50)));
  });
}

void TcpSocket::close() {
  strand_.assert_on_sequence();
  auto keep = std::move(keep_alive_);  // if this was the last reference, die on return
  observer_ = nullptr;
  become_closed();
}

void TcpSocket::become_closed() {
  if (pump_) pump_->cancel();
  if (fin_poll_) fin_poll_->cancel();
  if (socket_.is_open()) disarm_graceful_linger(fd());  // close() must not sleep
  boost::system::error_code ignored;
  socket_.close(ignored);
  held_until_closed_.reset();  // the fd is gone: its quota comes back
  state_ = State::closed;
  accept_ready_ = false;
}

void TcpSocket::post_to_observer(std::function<void(TcpObserver&)> event) {
  asio::post(strand_, [weak = weak_from_this(), event = std::move(event)] {
    auto self = weak.lock();
    if (self && self->observer_ != nullptr) event(*self->observer_);
  });
}

}  // namespace wasi_socketd::sockets
