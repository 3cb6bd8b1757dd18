#include "tcp_socket.h"

#include "tcp_stream_pump.h"

namespace wasi_socketd::sockets {

Result<std::shared_ptr<TcpSocket>> TcpSocket::create(Strand, Family,
                                                     std::shared_ptr<const SocketPolicy>) {
  return ErrorCode::not_supported;
}
TcpSocket::~TcpSocket() = default;
void TcpSocket::set_observer(TcpObserver* observer) { observer_ = observer; }
void TcpSocket::shutdown(ShutdownType, std::uint64_t, std::function<void(Result<void>)> done) {
  done(ErrorCode::not_supported);
}
bool TcpSocket::ready() const { return true; }
void TcpSocket::add_read_credit(std::uint64_t) {}
void TcpSocket::close_after(std::uint64_t, std::chrono::milliseconds) {}
void TcpSocket::close() {}

Result<void> TcpSocket::start_bind(const SocketAddress&) { return ErrorCode::not_supported; }
Result<void> TcpSocket::finish_bind() { return ErrorCode::not_supported; }
Result<void> TcpSocket::start_connect(const SocketAddress&) { return ErrorCode::not_supported; }
Result<void> TcpSocket::finish_connect() { return ErrorCode::not_supported; }
Result<void> TcpSocket::start_listen() { return ErrorCode::not_supported; }
Result<void> TcpSocket::finish_listen() { return ErrorCode::not_supported; }
Result<std::shared_ptr<TcpSocket>> TcpSocket::accept() { return ErrorCode::not_supported; }
Result<SocketAddress> TcpSocket::local_address() const { return ErrorCode::not_supported; }
Result<SocketAddress> TcpSocket::remote_address() const { return ErrorCode::not_supported; }
Result<void> TcpSocket::set_listen_backlog_size(std::uint64_t) { return ErrorCode::not_supported; }
Result<bool> TcpSocket::keep_alive_enabled() const { return ErrorCode::not_supported; }
Result<void> TcpSocket::set_keep_alive_enabled(bool) { return ErrorCode::not_supported; }
Result<std::uint64_t> TcpSocket::keep_alive_idle_time() const { return ErrorCode::not_supported; }
Result<void> TcpSocket::set_keep_alive_idle_time(std::uint64_t) { return ErrorCode::not_supported; }
Result<std::uint64_t> TcpSocket::keep_alive_interval() const { return ErrorCode::not_supported; }
Result<void> TcpSocket::set_keep_alive_interval(std::uint64_t) { return ErrorCode::not_supported; }
Result<std::uint32_t> TcpSocket::keep_alive_count() const { return ErrorCode::not_supported; }
Result<void> TcpSocket::set_keep_alive_count(std::uint32_t) { return ErrorCode::not_supported; }
Result<std::uint8_t> TcpSocket::hop_limit() const { return ErrorCode::not_supported; }
Result<void> TcpSocket::set_hop_limit(std::uint8_t) { return ErrorCode::not_supported; }
Result<std::uint64_t> TcpSocket::receive_buffer_size() const { return ErrorCode::not_supported; }
Result<void> TcpSocket::set_receive_buffer_size(std::uint64_t) { return ErrorCode::not_supported; }
Result<std::uint64_t> TcpSocket::send_buffer_size() const { return ErrorCode::not_supported; }
Result<void> TcpSocket::set_send_buffer_size(std::uint64_t) { return ErrorCode::not_supported; }
Result<void> TcpSocket::write(std::span<const std::byte>) { return ErrorCode::not_supported; }
Result<int> TcpSocket::option_fd() const { return ErrorCode::not_supported; }
Result<void> TcpSocket::implicit_bind_allowed() const { return ErrorCode::not_supported; }

}  // namespace wasi_socketd::sockets
