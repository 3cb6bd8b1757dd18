#include "udp_socket.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>

#include "errno_map.h"
#include "host_addresses.h"
#include "kernel_socket.h"
#include "socket_extensions.h"
#include "socket_options.h"

namespace wasi_socketd::sockets {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {

bool same_endpoint(const SocketAddress& a, const SocketAddress& b) {
  return a.ip == b.ip && a.port == b.port;
}

}  // namespace

Result<std::shared_ptr<UdpSocket>> UdpSocket::create(Strand strand, Family family,
                                                     std::shared_ptr<const SocketPolicy> policy) {
  if (!policy) return ErrorCode::access_denied;  // no policy: fail closed
  auto fd = open_kernel_socket(family, SOCK_DGRAM);
  if (!fd) return fd.error();
  udp::socket socket(strand, family == Family::ipv4 ? udp::v4() : udp::v6(), *fd);
  return std::shared_ptr<UdpSocket>(
      new UdpSocket(std::move(strand), family, std::move(policy), std::move(socket)));
}

UdpSocket::UdpSocket(Strand strand, Family family, std::shared_ptr<const SocketPolicy> policy,
                     udp::socket socket)
    : strand_(std::move(strand)),
      family_(family),
      policy_(std::move(policy)),
      socket_(std::move(socket)) {}

UdpSocket::~UdpSocket() = default;

void UdpSocket::set_observer(UdpObserver* observer) {
  strand_.assert_on_sequence();
  observer_ = observer;
}

// --- bind and stream -----------------------------------------------------------------------

Result<void> UdpSocket::start_bind(const SocketAddress& local) {
  strand_.assert_on_sequence();
  if (state_ == State::bind_in_progress) return ErrorCode::concurrency_conflict;
  if (state_ != State::unbound) return ErrorCode::invalid_state;
  if (auto valid = validate_udp_bind_address(family_, local); !valid) return valid;
  // Which addresses this host has is a fact, not a grant: a foreign address is
  // address-not-bindable under any policy, as the kernel would say.
  if (!is_bindable_on_this_host(local.ip)) return ErrorCode::address_not_bindable;
  if (!policy_->allows(Protocol::udp, Use::bind, local)) return ErrorCode::access_denied;
  sockaddr_storage storage;
  const socklen_t length = to_sockaddr(local, storage);
  if (::bind(fd(), reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
    return error_from_errno(SocketOperation::bind, errno);
  }
  bound_address_ = local;
  if (auto actual = kernel_local_address(fd())) bound_address_->port = actual->port;
  state_ = State::bind_in_progress;
  return {};
}

Result<void> UdpSocket::finish_bind() {
  strand_.assert_on_sequence();
  if (state_ != State::bind_in_progress) return ErrorCode::not_in_progress;
  state_ = State::bound;
  return {};
}

Result<void> UdpSocket::stream(const std::optional<SocketAddress>& remote) {
  strand_.assert_on_sequence();
  if (!is_bound()) return ErrorCode::invalid_state;
  if (remote) {
    if (auto valid = validate_udp_remote_address(family_, *remote); !valid) return valid;
    if (!policy_->allows(Protocol::udp, Use::connect, *remote)) return ErrorCode::access_denied;
  }
  // Dissolve the old association first: Linux may refuse to re-connect to another route.
  if (connected_remote_) {
    if (auto disconnected = disconnect(); !disconnected) return disconnected;
  }
  if (remote) {
    sockaddr_storage storage;
    const socklen_t length = to_sockaddr(*remote, storage);
    if (::connect(fd(), reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
      return error_from_errno(SocketOperation::connect, errno);
    }
    connected_remote_ = *remote;
  }
  streaming_ = true;
  if (!receive_waiting_) arm_receive_wait();
  return {};
}

Result<void> UdpSocket::disconnect() {
  sockaddr unspecified{};
  unspecified.sa_family = AF_UNSPEC;
  if (::connect(fd(), &unspecified, sizeof unspecified) != 0) {
    return error_from_errno(SocketOperation::connect, errno);
  }
  connected_remote_.reset();
  // Linux forgets a kernel-chosen port on disconnect; the WIT keeps the socket bound.
  auto local = kernel_local_address(fd());
  if (local && local->port != bound_address_->port) {
    sockaddr_storage storage;
    const socklen_t length = to_sockaddr(*bound_address_, storage);
    if (::bind(fd(), reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
      return error_from_errno(SocketOperation::bind, errno);
    }
  }
  return {};
}

// --- addresses and options -----------------------------------------------------------------

Result<SocketAddress> UdpSocket::local_address() const {
  strand_.assert_on_sequence();
  if (!is_bound()) return ErrorCode::invalid_state;
  return kernel_local_address(fd());
}

Result<SocketAddress> UdpSocket::remote_address() const {
  strand_.assert_on_sequence();
  if (!connected_remote_) return ErrorCode::invalid_state;
  return *connected_remote_;
}

Result<std::uint8_t> UdpSocket::unicast_hop_limit() const {
  strand_.assert_on_sequence();
  return options::hop_limit(fd(), family_);
}
Result<void> UdpSocket::set_unicast_hop_limit(std::uint8_t value) {
  strand_.assert_on_sequence();
  return options::set_hop_limit(fd(), family_, value);
}
Result<std::uint64_t> UdpSocket::receive_buffer_size() const {
  strand_.assert_on_sequence();
  return options::receive_buffer_size(fd());
}
Result<void> UdpSocket::set_receive_buffer_size(std::uint64_t value) {
  strand_.assert_on_sequence();
  return options::set_receive_buffer_size(fd(), value);
}
Result<std::uint64_t> UdpSocket::send_buffer_size() const {
  strand_.assert_on_sequence();
  return options::send_buffer_size(fd());
}
Result<void> UdpSocket::set_send_buffer_size(std::uint64_t value) {
  strand_.assert_on_sequence();
  return options::set_send_buffer_size(fd(), value);
}

Result<void> UdpSocket::set_multicast_interface(std::uint32_t interface_index) {
  strand_.assert_on_sequence();
  Result<void> result = extensions::set_multicast_interface(fd(), family_, interface_index);
  if (result) multicast_interface_ = interface_index;
  return result;
}

// --- receiving -----------------------------------------------------------------------------

bool UdpSocket::accepts_datagram_from(const SocketAddress& sender) const {
  // Datagrams queued before connect() still carry other senders; the WIT promises only the peer.
  if (connected_remote_ && !same_endpoint(*connected_remote_, sender)) return false;
  return policy_->allows(Protocol::udp, Use::receive, sender);
}

Result<std::vector<IncomingDatagram>> UdpSocket::receive(std::uint64_t max_results) {
  strand_.assert_on_sequence();
  if (!is_bound()) return ErrorCode::invalid_state;
  std::vector<IncomingDatagram> datagrams;
  max_results = std::min(max_results, kMaxDatagramsPerCall);
  if (max_results == 0) return datagrams;
  // One buffer per thread, not per socket: each datagram is copied out at once.
  static thread_local std::vector<std::byte> buffer(kMaxDatagramSize + 1);

  std::size_t bytes = 0;
  // Goes on only while a datagram of the largest size would still fit kMaxReceiveBytesPerCall.
  while (datagrams.size() < max_results && bytes + kMaxDatagramSize <= kMaxReceiveBytesPerCall) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    const ssize_t received = ::recvfrom(fd(), buffer.data(), buffer.size(), 0,
                                        reinterpret_cast<sockaddr*>(&storage), &length);
    if (received < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        set_receive_ready(false);
        return datagrams;
      }
      // An ICMP error reported on this socket; deliver it only if it is all there is.
      const auto error = error_from_errno(SocketOperation::datagram_receive, errno);
      if (datagrams.empty()) return error;
      return datagrams;
    }
    auto sender = from_sockaddr(reinterpret_cast<const sockaddr*>(&storage), length);
    if (!sender || !accepts_datagram_from(*sender)) continue;
    const auto* begin = buffer.data();
    datagrams.push_back({std::vector<std::byte>(begin, begin + received), *sender});
    bytes += static_cast<std::size_t>(received);
  }
  pollfd poll_fd{fd(), POLLIN, 0};
  set_receive_ready(::poll(&poll_fd, 1, 0) > 0);
  return datagrams;
}

void UdpSocket::arm_receive_wait() {
  receive_waiting_ = true;
  socket_.async_wait(udp::socket::wait_read,
                     asio::bind_executor(strand_, [weak = weak_from_this()](auto error) {
                       auto self = weak.lock();
                       if (!self) return;
                       self->receive_waiting_ = false;
                       if (!error) self->set_receive_ready(true);
                     }));
}

void UdpSocket::set_receive_ready(bool ready) {
  if (!ready && !receive_waiting_) arm_receive_wait();
  if (receive_ready_ == ready) return;
  receive_ready_ = ready;
  if (!streaming_) return;
  asio::post(strand_, [weak = weak_from_this(), ready] {
    auto self = weak.lock();
    if (self && self->observer_ != nullptr) self->observer_->receive_readiness(ready);
  });
}

// --- sending -------------------------------------------------------------------------------

Result<std::uint64_t> UdpSocket::send(std::span<const OutgoingDatagram> datagrams) {
  strand_.assert_on_sequence();
  if (!is_bound()) return ErrorCode::invalid_state;
  std::uint64_t sent = 0;
  for (const auto& datagram : datagrams) {
    auto result = send_one(datagram);
    if (!result) {
      if (sent == 0 && result.error() != ErrorCode::would_block) return result.error();
      break;
    }
    ++sent;
  }
  return sent;
}

Result<void> UdpSocket::send_one(const OutgoingDatagram& datagram) {
  if (datagram.data.size() > kMaxDatagramSize) return ErrorCode::datagram_too_large;
  ssize_t result;
  if (datagram.remote_address) {
    const auto& remote = *datagram.remote_address;
    if (auto valid = validate_udp_remote_address(family_, remote); !valid) return valid;
    if (connected_remote_ && !same_endpoint(*connected_remote_, remote)) {
      return ErrorCode::invalid_argument;
    }
    if (!policy_->allows(Protocol::udp, Use::send, remote)) return ErrorCode::access_denied;
    sockaddr_storage storage;
    const socklen_t length = to_sockaddr(remote, storage);
    do {
      result = connected_remote_
                   ? ::send(fd(), datagram.data.data(), datagram.data.size(), MSG_NOSIGNAL)
                   : ::sendto(fd(), datagram.data.data(), datagram.data.size(), MSG_NOSIGNAL,
                              reinterpret_cast<const sockaddr*>(&storage), length);
    } while (result < 0 && errno == EINTR);
  } else {
    if (!connected_remote_) return ErrorCode::invalid_argument;
    do {
      result = ::send(fd(), datagram.data.data(), datagram.data.size(), MSG_NOSIGNAL);
    } while (result < 0 && errno == EINTR);
  }
  if (result < 0) {
    const int error = errno;
    // UDP's EACCES is the kernel's broadcast check (SO_BROADCAST off): worth an audit line.
    const auto& destination = datagram.remote_address ? datagram.remote_address : connected_remote_;
    if (error == EACCES && destination) policy_->broadcast_refused(*destination);
    return error_from_errno(SocketOperation::datagram_send, error);
  }
  return {};
}

}  // namespace wasi_socketd::sockets
