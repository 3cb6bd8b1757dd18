#include "raw_http2.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace wasi_socketd::testing {

namespace {

constexpr std::uint8_t kData = 0x0;
constexpr std::uint8_t kHeaders = 0x1;
constexpr std::uint8_t kRstStream = 0x3;
constexpr std::uint8_t kSettings = 0x4;
constexpr std::uint8_t kPing = 0x6;
constexpr std::uint8_t kGoaway = 0x7;
constexpr std::uint8_t kContinuation = 0x9;
constexpr std::uint8_t kFlagAck = 0x1;
constexpr std::uint8_t kFlagEndStream = 0x1;
constexpr std::uint8_t kFlagEndHeaders = 0x4;
constexpr std::size_t kFrameHeader = 9;

void put_u16(std::string& out, std::uint32_t value) {
  out.push_back(static_cast<char>((value >> 8) & 0xff));
  out.push_back(static_cast<char>(value & 0xff));
}

void put_u32(std::string& out, std::uint32_t value) {
  put_u16(out, value >> 16);
  put_u16(out, value & 0xffff);
}

std::uint32_t get_u32(const std::string& in, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value = (value << 8) | static_cast<std::uint8_t>(in[at + i]);
  }
  return value;
}

// An HPACK integer with a 7-bit prefix (RFC 7541 5.1), no Huffman flag.
void put_hpack_length(std::string& out, std::size_t value) {
  constexpr std::size_t kPrefixMax = 0x7f;
  if (value < kPrefixMax) {
    out.push_back(static_cast<char>(value));
    return;
  }
  out.push_back(static_cast<char>(kPrefixMax));
  value -= kPrefixMax;
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

// HPACK "literal header field without indexing, new name".
void put_literal(std::string& out, const std::string& name, const std::string& value) {
  out.push_back(0x00);
  put_hpack_length(out, name.size());
  out += name;
  put_hpack_length(out, value.size());
  out += value;
}

bool write_all(int fd, const std::string& bytes) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    at += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

RawHttp2Connection::RawHttp2Connection(const std::string& path) {
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawHttp2Connection::~RawHttp2Connection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawHttp2Connection::send_frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream,
                                    const std::string& payload) {
  std::string frame;
  frame.reserve(kFrameHeader + payload.size());
  frame.push_back(static_cast<char>((payload.size() >> 16) & 0xff));
  put_u16(frame, static_cast<std::uint32_t>(payload.size() & 0xffff));
  frame.push_back(static_cast<char>(type));
  frame.push_back(static_cast<char>(flags));
  put_u32(frame, stream & 0x7fffffffu);
  frame += payload;
  return fd_ >= 0 && write_all(fd_, frame);
}

bool RawHttp2Connection::send_preface(
    const std::vector<std::pair<std::uint16_t, std::uint32_t>>& settings) {
  if (fd_ < 0 || !write_all(fd_, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")) return false;
  std::string payload;
  for (const auto& [id, value] : settings) {
    put_u16(payload, id);
    put_u32(payload, value);
  }
  return send_frame(kSettings, 0, 0, payload);
}

bool RawHttp2Connection::send_settings_ack() { return send_frame(kSettings, kFlagAck, 0, ""); }

std::string RawHttp2Connection::literal_header(const std::string& name, const std::string& value) {
  std::string out;
  put_literal(out, name, value);
  return out;
}

std::string RawHttp2Connection::call_header_block(const std::string& path,
                                                  const std::string& encoding) const {
  std::string block;
  put_literal(block, ":method", "POST");
  put_literal(block, ":scheme", "http");
  put_literal(block, ":path", path);
  put_literal(block, ":authority", "localhost");
  put_literal(block, "content-type", "application/grpc");
  put_literal(block, "te", "trailers");
  if (!encoding.empty()) put_literal(block, "grpc-encoding", encoding);
  return block;
}

std::uint32_t RawHttp2Connection::open_call(const std::string& path) {
  const std::uint32_t stream = next_stream_;
  if (!send_frame(kHeaders, kFlagEndHeaders, stream, call_header_block(path))) return 0;
  next_stream_ += 2;
  return stream;
}

std::uint32_t RawHttp2Connection::open_call_without_end_headers(const std::string& path) {
  const std::uint32_t stream = next_stream_;
  if (!send_frame(kHeaders, 0, stream, call_header_block(path))) return 0;
  next_stream_ += 2;
  return stream;
}

std::uint32_t RawHttp2Connection::open_call_with_compressed_request(const std::string& path,
                                                                    const std::string& encoding,
                                                                    const std::string& message) {
  constexpr std::size_t kDataFrameBytes = 16384;
  const std::uint32_t stream = next_stream_;
  if (!send_frame(kHeaders, kFlagEndHeaders, stream, call_header_block(path, encoding))) return 0;
  next_stream_ += 2;
  std::string framed(1, '\1');  // gRPC message framing: compressed
  put_u32(framed, static_cast<std::uint32_t>(message.size()));
  framed += message;
  for (std::size_t at = 0; at < framed.size(); at += kDataFrameBytes) {
    const bool last = at + kDataFrameBytes >= framed.size();
    if (!send_frame(kData, last ? kFlagEndStream : 0, stream, framed.substr(at, kDataFrameBytes))) {
      return 0;
    }
  }
  return stream;
}

bool RawHttp2Connection::reset_stream(std::uint32_t stream) {
  constexpr std::uint32_t kCancel = 0x8;
  std::string code;
  put_u32(code, kCancel);
  return send_frame(kRstStream, 0, stream, code);
}

bool RawHttp2Connection::send_continuation(std::uint32_t stream, const std::string& fragment,
                                           bool last) {
  return send_frame(kContinuation, last ? kFlagEndHeaders : 0, stream, fragment);
}

std::uint32_t RawHttp2Connection::open_call_with_request(const std::string& path) {
  const std::uint32_t stream = open_call(path);
  // gRPC message framing: not compressed, length 0 (an empty request message).
  const std::string empty_message(5, '\0');
  if (stream == 0 || !send_frame(kData, kFlagEndStream, stream, empty_message)) return 0;
  return stream;
}

bool RawHttp2Connection::read_for(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  char buffer[16384];
  while (fd_ >= 0 && !closed_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    pollfd ready{fd_, POLLIN, 0};
    // Polls at least once, so that a zero timeout still sees what already arrived.
    if (::poll(&ready, 1, static_cast<int>(std::max<long>(left.count(), 0))) <= 0) {
      if (left.count() <= 0) break;
      continue;
    }
    const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      closed_ = true;
      break;
    }
    incoming_.append(buffer, static_cast<std::size_t>(n));
    parse_frames();
  }
  return !closed_;
}

void RawHttp2Connection::parse_frames() {
  std::size_t at = 0;
  while (incoming_.size() - at >= kFrameHeader) {
    const std::size_t length =
        (static_cast<std::size_t>(static_cast<std::uint8_t>(incoming_[at])) << 16) |
        (static_cast<std::size_t>(static_cast<std::uint8_t>(incoming_[at + 1])) << 8) |
        static_cast<std::uint8_t>(incoming_[at + 2]);
    if (incoming_.size() - at < kFrameHeader + length) break;
    const auto type = static_cast<std::uint8_t>(incoming_[at + 3]);
    const auto flags = static_cast<std::uint8_t>(incoming_[at + 4]);
    const std::size_t payload = at + kFrameHeader;
    if (type == kSettings && (flags & kFlagAck) == 0) {
      settings_received_ = true;
      for (std::size_t i = 0; i + 6 <= length; i += 6) {
        const auto id =
            static_cast<std::uint16_t>((static_cast<std::uint8_t>(incoming_[payload + i]) << 8) |
                                       static_cast<std::uint8_t>(incoming_[payload + i + 1]));
        settings_[id] = get_u32(incoming_, payload + i + 2);
      }
    } else if (type == kHeaders && (flags & kFlagEndStream) != 0) {
      ++finished_streams_;
    } else if (type == kRstStream && length >= 4) {
      ++resets_[get_u32(incoming_, payload)];
    } else if (type == kGoaway) {
      ++goaways_;
    } else if (type == kPing && (flags & kFlagAck) == 0) {
      send_frame(kPing, kFlagAck, 0, incoming_.substr(payload, length));
    }
    at += kFrameHeader + length;
  }
  incoming_.erase(0, at);
}

}  // namespace wasi_socketd::testing
