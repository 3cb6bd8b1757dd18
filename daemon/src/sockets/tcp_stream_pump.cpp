#include "tcp_stream_pump.h"

namespace wasi_socketd::sockets {

TcpStreamPump::TcpStreamPump(Strand strand, boost::asio::ip::tcp::socket& socket,
                             std::weak_ptr<void> lifetime)
    : strand_(std::move(strand)), socket_(socket), lifetime_(std::move(lifetime)) {}

void TcpStreamPump::add_read_credit(std::uint64_t bytes) { read_credit_ += bytes; }
void TcpStreamPump::stop_reading() { input_done_ = true; }
Result<void> TcpStreamPump::write(std::span<const std::byte>) { return ErrorCode::not_supported; }
void TcpStreamPump::when_flushed(std::uint64_t, std::chrono::milliseconds,
                                 std::function<void(bool)> done) {
  done(false);
}
void TcpStreamPump::cancel() { cancelled_ = true; }

}  // namespace wasi_socketd::sockets
