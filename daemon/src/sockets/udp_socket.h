// One WASI 0.2 `udp-socket` with its incoming/outgoing datagram streams, over a real,
// non-blocking kernel socket.
//
// Threading: constructed with its session's strand; every public method must be called on that
// strand and every UdpObserver event runs on it. No locks.
// Ownership: held by std::shared_ptr (create() hands one out), owned by the session. Handlers
// hold weak references only: dropping the last shared_ptr closes the fd. The observer is a raw
// pointer; detach it (set_observer(nullptr)) before it dies.
#pragma once

#include <boost/asio/ip/udp.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "error_code.h"
#include "serial_executor.h"
#include "socket_address.h"
#include "socket_policy.h"

namespace wasi_socketd::sockets {

class UdpObserver {  // called on the strand, never from inside a UdpSocket method
 public:
  virtual ~UdpObserver() = default;
  // The RECEIVE level changed: true when a datagram is (probably) waiting.
  virtual void receive_readiness(bool ready) = 0;
};

// WIT `incoming-datagram`.
struct IncomingDatagram {
  std::vector<std::byte> data;
  SocketAddress remote_address;
};

// WIT `outgoing-datagram`; `data` is borrowed for the duration of send().
struct OutgoingDatagram {
  std::span<const std::byte> data;
  std::optional<SocketAddress> remote_address;
};

class UdpSocket : public std::enable_shared_from_this<UdpSocket> {
 public:
  enum class State { unbound, bind_in_progress, bound };

  static constexpr std::size_t kMaxDatagramSize = 65535;
  static constexpr std::uint64_t kMaxDatagramsPerCall = 1024;
  // Most payload bytes one receive() returns: its reply must stay under the 8 MiB message limit,
  // and 1,024 datagrams of 64 KiB would not (a host whose rmem_max lets that much queue is enough).
  static constexpr std::size_t kMaxReceiveBytesPerCall = 4 << 20;

  // create-udp-socket. IPv6 sockets are IPV6_V6ONLY. Errors as for TcpSocket::create.
  static Result<std::shared_ptr<UdpSocket>> create(Strand strand, Family family,
                                                   std::shared_ptr<const SocketPolicy> policy);
  ~UdpSocket();
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  void set_observer(UdpObserver* observer);  // nullptr detaches

  // --- The WIT methods, named as in udp.wit. ---
  Result<void> start_bind(const SocketAddress& local);
  Result<void> finish_bind();
  // %stream(remote): disconnects if connected, then connects to `remote` if given. Requires a
  // bound socket (invalid-state otherwise). Starts RECEIVE readiness reporting.
  Result<void> stream(const std::optional<SocketAddress>& remote);
  Result<SocketAddress> local_address() const;
  Result<SocketAddress> remote_address() const;
  Family address_family() const { return family_; }
  Result<std::uint8_t> unicast_hop_limit() const;
  Result<void> set_unicast_hop_limit(std::uint8_t value);
  Result<std::uint64_t> receive_buffer_size() const;
  Result<void> set_receive_buffer_size(std::uint64_t value);
  Result<std::uint64_t> send_buffer_size() const;
  Result<void> set_send_buffer_size(std::uint64_t value);
  // The kernel socket for the wasi-socketd:sockets-ext options (socket_extensions.h).
  int extension_fd() const { return fd(); }
  // sockets-ext multicast-interface: kept here, as Linux reads IPv4's back only as an address.
  std::uint32_t multicast_interface() const { return multicast_interface_; }
  Result<void> set_multicast_interface(std::uint32_t interface_index);

  // incoming-datagram-stream.receive: up to `max_results` (at most kMaxDatagramsPerCall and
  // kMaxReceiveBytesPerCall) datagrams without blocking; an empty list when none are waiting (never
  // would-block). Datagrams the policy denies, or not from the connected peer, are dropped.
  Result<std::vector<IncomingDatagram>> receive(std::uint64_t max_results);
  // outgoing-datagram-stream.send: sends in order until the first failure; returns how many were
  // sent, or the error if the first one failed. A full kernel buffer ends the batch early
  // (possibly ok(0)), never would-block.
  Result<std::uint64_t> send(std::span<const OutgoingDatagram> datagrams);

  State state() const { return state_; }
  bool is_connected() const { return connected_remote_.has_value(); }
  // The RECEIVE level as last reported to the observer (true: a datagram is probably waiting).
  bool receive_ready() const { return receive_ready_; }

 private:
  UdpSocket(Strand strand, Family family, std::shared_ptr<const SocketPolicy> policy,
            boost::asio::ip::udp::socket socket);

  int fd() const { return socket_.native_handle(); }
  bool is_bound() const { return state_ == State::bound; }
  // The datagram's sender may be handed to the guest: the connected peer if any, and allowed.
  bool accepts_datagram_from(const SocketAddress& sender) const;
  // connect(AF_UNSPEC), keeping the local address the socket was bound to.
  Result<void> disconnect();
  Result<void> send_one(const OutgoingDatagram& datagram);
  void arm_receive_wait();
  void set_receive_ready(bool ready);

  Strand strand_;
  Family family_;
  std::shared_ptr<const SocketPolicy> policy_;
  // mutable only because asio's native_handle() is not const.
  mutable boost::asio::ip::udp::socket socket_;
  State state_ = State::unbound;
  std::optional<SocketAddress> bound_address_;  // as bound, with the kernel-chosen port
  std::optional<SocketAddress> connected_remote_;
  std::uint32_t multicast_interface_ = 0;  // 0: the kernel's routes choose
  UdpObserver* observer_ = nullptr;
  bool streaming_ = false;  // stream() succeeded at least once: RECEIVE readiness is reported
  bool receive_waiting_ = false;
  bool receive_ready_ = false;
};

}  // namespace wasi_socketd::sockets
