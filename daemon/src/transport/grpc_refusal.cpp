#include "grpc_refusal.h"

#include <unistd.h>

#include <array>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <cstdint>

namespace wasi_socketd::daemon {
namespace {

constexpr std::uint8_t kHeaders = 0x1;
constexpr std::uint8_t kSettings = 0x4;
constexpr std::uint8_t kGoAway = 0x7;
constexpr std::uint8_t kEndStream = 0x1;
constexpr std::uint8_t kAck = 0x1;
constexpr std::uint8_t kEndHeaders = 0x4;
constexpr std::string_view kClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr std::size_t kFrameHeader = 9;
constexpr std::size_t kMaxBuffered = 64 * 1024;  // a client's opening bytes; more is not gRPC

void append_frame_header(std::string& out, std::size_t length, std::uint8_t type,
                         std::uint8_t flags, std::uint32_t stream) {
  out += static_cast<char>((length >> 16) & 0xff);
  out += static_cast<char>((length >> 8) & 0xff);
  out += static_cast<char>(length & 0xff);
  out += static_cast<char>(type);
  out += static_cast<char>(flags);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out += static_cast<char>((stream >> shift) & (shift == 24 ? 0x7f : 0xff));
  }
}

// RFC 7541 5.1, with a 7-bit prefix and the Huffman bit clear.
void append_hpack_length(std::string& out, std::size_t value) {
  if (value < 127) {
    out += static_cast<char>(value);
    return;
  }
  out += static_cast<char>(127);
  value -= 127;
  while (value >= 128) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
}

// Literal header field without indexing, new name (RFC 7541 6.2.2).
void append_header(std::string& out, std::string_view name, std::string_view value) {
  out += '\0';
  append_hpack_length(out, name.size());
  out += name;
  append_hpack_length(out, value.size());
  out += value;
}

// grpc-message is percent-encoded: bytes outside printable ASCII, and '%' itself.
std::string percent_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e || byte == '%') {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

std::string empty_frame(std::uint8_t type, std::uint8_t flags) {
  std::string frame;
  append_frame_header(frame, 0, type, flags, 0);
  return frame;
}

std::string go_away(std::uint32_t last_stream) {
  std::string frame;
  append_frame_header(frame, 8, kGoAway, 0, 0);
  for (int shift = 24; shift >= 0; shift -= 8) {
    frame += static_cast<char>((last_stream >> shift) & 0xff);
  }
  frame.append(4, '\0');  // NO_ERROR
  return frame;
}

// One refused connection: answers the first call on it, then closes. Its socket, timer and every
// handler live on one strand of their own: the io_context runs on several threads, and a timer
// firing while a read completes must not close the socket under the other.
class Refused : public std::enable_shared_from_this<Refused> {
 public:
  Refused(boost::asio::io_context& io, int fd, std::string reason,
          std::shared_ptr<std::atomic<std::size_t>> pending)
      : strand_(boost::asio::make_strand(io)),
        socket_(strand_, boost::asio::local::stream_protocol(), fd),
        timer_(strand_),
        reason_(std::move(reason)),
        pending_(std::move(pending)) {}
  ~Refused() { --*pending_; }

  // Any thread: the work starts on the strand.
  void start() {
    boost::asio::post(strand_, [self = shared_from_this()] { self->begin(); });
  }

 private:
  void begin() {
    timer_.expires_after(GrpcRefusal::kFirstCallTimeout);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (!error) self->close();
    });
    send(empty_frame(kSettings, 0));
    read_more();
  }

  // Writes are chained, so that the answer goes out before the connection is shut down.
  void send(std::string bytes, bool last = false) {
    outgoing_ += bytes;
    closing_ = closing_ || last;
    if (!writing_) write_next();
  }

  void write_next() {
    if (outgoing_.empty()) {
      if (closing_) shut_down();
      return;
    }
    writing_ = true;
    auto buffer = std::make_shared<std::string>(std::move(outgoing_));
    outgoing_.clear();
    boost::asio::async_write(
        socket_, boost::asio::buffer(*buffer),
        [self = shared_from_this(), buffer](const boost::system::error_code& error, std::size_t) {
          self->writing_ = false;
          if (error) return self->close();
          self->write_next();
        });
  }

  // Ends the connection after the answer: the client reads it, then EOF.
  void shut_down() {
    boost::system::error_code ignored;
    socket_.shutdown(boost::asio::socket_base::shutdown_send, ignored);
    timer_.expires_after(std::chrono::milliseconds(200));
    timer_.async_wait(
        [self = shared_from_this()](const boost::system::error_code&) { self->close(); });
  }

  void read_more() {
    socket_.async_read_some(
        boost::asio::buffer(chunk_),
        [self = shared_from_this()](const boost::system::error_code& error, std::size_t got) {
          if (error) return self->close();
          self->received_.append(self->chunk_.data(), got);
          if (!self->parse() && self->received_.size() < kMaxBuffered) self->read_more();
        });
  }

  // Consumes whole frames; true once the first call was answered (or the bytes are not gRPC).
  bool parse() {
    if (!preface_seen_) {
      if (received_.size() < kClientPreface.size()) return false;
      if (!received_.starts_with(kClientPreface)) {
        close();
        return true;
      }
      received_.erase(0, kClientPreface.size());
      preface_seen_ = true;
    }
    while (received_.size() >= kFrameHeader) {
      const auto byte = [this](std::size_t i) { return static_cast<std::uint8_t>(received_[i]); };
      const std::size_t length = (byte(0) << 16) | (byte(1) << 8) | byte(2);
      if (received_.size() < kFrameHeader + length) return false;
      const std::uint8_t type = byte(3);
      const std::uint8_t flags = byte(4);
      const std::uint32_t stream =
          ((byte(5) & 0x7fu) << 24) | (byte(6) << 16) | (byte(7) << 8) | byte(8);
      received_.erase(0, kFrameHeader + length);
      if (type == kSettings && (flags & kAck) == 0) send(empty_frame(kSettings, kAck));
      if (type == kHeaders && stream != 0) {
        send(grpc_trailers_only_frame(stream, 7 /* PERMISSION_DENIED */, reason_) + go_away(stream),
             /*last=*/true);
        return true;
      }
    }
    return false;
  }

  void close() {
    boost::system::error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
  }

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::local::stream_protocol::socket socket_;
  boost::asio::steady_timer timer_;
  std::string reason_;
  std::shared_ptr<std::atomic<std::size_t>> pending_;
  std::array<char, 4096> chunk_{};
  std::string received_;
  std::string outgoing_;
  bool preface_seen_ = false;
  bool writing_ = false;
  bool closing_ = false;
};

}  // namespace

std::string grpc_trailers_only_frame(std::uint32_t stream, int status, std::string_view message) {
  std::string block;
  append_header(block, ":status", "200");
  append_header(block, "content-type", "application/grpc");
  append_header(block, "grpc-status", std::to_string(status));
  append_header(block, "grpc-message", percent_encoded(message));
  std::string frame;
  append_frame_header(frame, block.size(), kHeaders, kEndStream | kEndHeaders, stream);
  return frame + block;
}

bool GrpcRefusal::take_budget(uid_t uid) {
  std::lock_guard lock(mutex_);
  auto found = budgets_.find(uid);
  if (found == budgets_.end()) {
    if (budgets_.size() >= kMaxUids) budgets_.clear();  // forget everyone rather than grow
    found = budgets_.emplace(uid, std::make_unique<policy::TokenBucket>(kPerUidRate, kPerUidBurst))
                .first;
  }
  return found->second->try_take();
}

GrpcRefusal::Outcome GrpcRefusal::refuse(int fd, uid_t uid, std::string reason) {
  if (!take_budget(uid)) {
    ::close(fd);
    return Outcome::over_budget;
  }
  if (pending_->load() >= kMaxPending) {
    ::close(fd);
    return Outcome::closed;
  }
  ++*pending_;
  std::make_shared<Refused>(io_, fd, std::move(reason), pending_)->start();
  return Outcome::answered;
}

}  // namespace wasi_socketd::daemon
