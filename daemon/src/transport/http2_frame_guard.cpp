#include "http2_frame_guard.h"

#include <algorithm>
#include <cstring>

#include "wasi_socketd/limits.h"

namespace wasi_socketd::daemon {
namespace {

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr std::size_t kFrameHeaderBytes = 9;

// Frame types and flags (RFC 9113 section 6).
constexpr std::uint8_t kData = 0x0;
constexpr std::uint8_t kHeaders = 0x1;
constexpr std::uint8_t kRstStream = 0x3;
constexpr std::uint8_t kSettings = 0x4;
constexpr std::uint8_t kPushPromise = 0x5;
constexpr std::uint8_t kPing = 0x6;
constexpr std::uint8_t kContinuation = 0x9;
constexpr std::uint8_t kFlagEndStream = 0x1;
constexpr std::uint8_t kFlagAck = 0x1;
constexpr std::uint8_t kFlagEndHeaders = 0x4;

std::uint32_t byte_at(const std::byte* bytes, std::size_t at) {
  return std::to_integer<std::uint32_t>(bytes[at]);
}

}  // namespace

std::size_t Http2FrameGuard::max_open_streams() { return 2 * kMaxConcurrentStreams; }

std::string_view Http2FrameGuard::rule(Verdict verdict) {
  switch (verdict) {
    case Verdict::ok:
      return "ok";
    case Verdict::preface:
      return "http2-guard:preface";
    case Verdict::frame_size:
      return "http2-guard:frame-size";
    case Verdict::header_block:
      return "http2-guard:header-block";
    case Verdict::continuation:
      return "http2-guard:continuation";
    case Verdict::resets:
      return "http2-guard:resets";
    case Verdict::open_streams:
      return "http2-guard:open-streams";
    case Verdict::control_frames:
      return "http2-guard:control-frames";
  }
  return "http2-guard";
}

Http2FrameGuard::Http2FrameGuard() = default;

Http2FrameGuard::Verdict Http2FrameGuard::feed(std::span<const std::byte> bytes,
                                               Clock::time_point now) {
  std::size_t at = 0;
  while (verdict_ == Verdict::ok && at < bytes.size()) {
    if (preface_seen_ < kPreface.size()) {
      const std::size_t take = std::min(kPreface.size() - preface_seen_, bytes.size() - at);
      if (std::memcmp(bytes.data() + at, kPreface.data() + preface_seen_, take) != 0) {
        verdict_ = Verdict::preface;
      }
      preface_seen_ += take;
      at += take;
    } else if (payload_left_ > 0) {
      const std::size_t skip = std::min<std::size_t>(payload_left_, bytes.size() - at);
      payload_left_ -= static_cast<std::uint32_t>(skip);
      at += skip;
    } else {
      const std::size_t take = std::min(kFrameHeaderBytes - header_seen_, bytes.size() - at);
      std::memcpy(header_ + header_seen_, bytes.data() + at, take);
      header_seen_ += take;
      at += take;
      if (header_seen_ == kFrameHeaderBytes) {
        header_seen_ = 0;
        verdict_ = on_frame(now);
      }
    }
  }
  return verdict_;
}

Http2FrameGuard::Verdict Http2FrameGuard::on_frame(Clock::time_point now) {
  const std::uint32_t length =
      byte_at(header_, 0) << 16 | byte_at(header_, 1) << 8 | byte_at(header_, 2);
  const auto type = static_cast<std::uint8_t>(byte_at(header_, 3));
  const auto flags = static_cast<std::uint8_t>(byte_at(header_, 4));
  const std::uint32_t stream = (byte_at(header_, 5) << 24 | byte_at(header_, 6) << 16 |
                                byte_at(header_, 7) << 8 | byte_at(header_, 8)) &
                               0x7fffffffU;
  payload_left_ = length;
  const bool carries_data_or_headers =
      type == kData || type == kHeaders || type == kPushPromise || type == kContinuation;
  if (!carries_data_or_headers && length > kMaxControlFrameBytes) return Verdict::frame_size;
  if (in_header_block_) {
    // Only the block's own CONTINUATIONs may follow until END_HEADERS (RFC 9113 6.10).
    if (type != kContinuation || stream != block_stream_) return Verdict::continuation;
    block_bytes_ += length;
    if (block_bytes_ > kMaxHeaderBlockBytes) return Verdict::header_block;
    in_header_block_ = (flags & kFlagEndHeaders) == 0;
    return Verdict::ok;
  }
  switch (type) {
    case kContinuation:
      return Verdict::continuation;
    case kHeaders:
    case kPushPromise:
      block_stream_ = stream;
      block_bytes_ = length;
      in_header_block_ = (flags & kFlagEndHeaders) == 0;
      if (type == kHeaders && stream % 2 == 1) {
        if (stream > highest_stream_) {
          highest_stream_ = stream;
          if ((flags & kFlagEndStream) == 0) {
            open_streams_.push_back(stream);
            if (open_streams_.size() > max_open_streams()) return Verdict::open_streams;
          }
        } else if ((flags & kFlagEndStream) != 0) {
          end_stream(stream);  // trailers
        }
      }
      return Verdict::ok;
    case kData:
      if ((flags & kFlagEndStream) != 0) end_stream(stream);
      return Verdict::ok;
    case kRstStream:
      end_stream(stream);
      return resets_.try_take(now) ? Verdict::ok : Verdict::resets;
    case kSettings:
    case kPing:
      if ((flags & kFlagAck) != 0) return Verdict::ok;
      return control_frames_.try_take(now) ? Verdict::ok : Verdict::control_frames;
    default:
      return Verdict::ok;
  }
}

void Http2FrameGuard::end_stream(std::uint32_t stream) {
  const auto found = std::find(open_streams_.begin(), open_streams_.end(), stream);
  if (found != open_streams_.end()) {
    *found = open_streams_.back();
    open_streams_.pop_back();
  }
}

}  // namespace wasi_socketd::daemon
