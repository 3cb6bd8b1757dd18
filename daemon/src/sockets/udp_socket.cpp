#include "udp_socket.h"

namespace wasi_socketd::sockets {

Result<std::shared_ptr<UdpSocket>> UdpSocket::create(Strand, Family,
                                                     std::shared_ptr<const SocketPolicy>) {
  return ErrorCode::not_supported;
}
UdpSocket::~UdpSocket() = default;
void UdpSocket::set_observer(UdpObserver* observer) { observer_ = observer; }

Result<void> UdpSocket::start_bind(const SocketAddress&) { return ErrorCode::not_supported; }
Result<void> UdpSocket::finish_bind() { return ErrorCode::not_supported; }
Result<void> UdpSocket::stream(const std::optional<SocketAddress>&) {
  return ErrorCode::not_supported;
}
Result<SocketAddress> UdpSocket::local_address() const { return ErrorCode::not_supported; }
Result<SocketAddress> UdpSocket::remote_address() const { return ErrorCode::not_supported; }
Result<std::uint8_t> UdpSocket::unicast_hop_limit() const { return ErrorCode::not_supported; }
Result<void> UdpSocket::set_unicast_hop_limit(std::uint8_t) { return ErrorCode::not_supported; }
Result<std::uint64_t> UdpSocket::receive_buffer_size() const { return ErrorCode::not_supported; }
Result<void> UdpSocket::set_receive_buffer_size(std::uint64_t) { return ErrorCode::not_supported; }
Result<std::uint64_t> UdpSocket::send_buffer_size() const { return ErrorCode::not_supported; }
Result<void> UdpSocket::set_send_buffer_size(std::uint64_t) { return ErrorCode::not_supported; }
Result<std::vector<IncomingDatagram>> UdpSocket::receive(std::uint64_t) {
  return ErrorCode::not_supported;
}
Result<std::uint64_t> UdpSocket::send(std::span<const OutgoingDatagram>) {
  return ErrorCode::not_supported;
}

}  // namespace wasi_socketd::sockets
