// Bounds what one client connection can make gRPC 1.51 hold, from the client's bytes alone: the
// 24-byte preface, then each frame's 9-byte header (length, type, flags, stream id). Payloads are
// skipped, never parsed (no HPACK). gRPC 1.51 lacks the fixes of later releases for:
// - header blocks that never end (CVE-2023-33953): HEADERS or PUSH_PROMISE plus CONTINUATIONs
//   longer than kMaxHeaderBlockBytes, or a CONTINUATION where none may come;
// - Rapid Reset (CVE-2023-44487): RST_STREAM frames beyond a token bucket;
// - streams a client opened and never ended, before it acknowledged SETTINGS (gRPC compares with
//   the acknowledged limit only): more than 2 x kMaxConcurrentStreams held at once;
// - control frames (neither DATA nor header-block frames) longer than kMaxControlFrameBytes, and
//   PING / SETTINGS floods (CVE-2019-9512, CVE-2019-9515) beyond a token bucket.
// feed() returns the first rule broken, after which the connection must be closed (the guard
// stays broken). Pure: no I/O, the caller passes the time. One connection, one thread at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "policy/token_bucket.h"

namespace wasi_socketd::daemon {

class Http2FrameGuard {
 public:
  using Clock = policy::TokenBucket::Clock;

  // gRPC's request metadata limit is 8 KiB per frame; a legitimate block is far below this.
  static constexpr std::uint32_t kMaxHeaderBlockBytes = 64 << 10;
  // Frames other than DATA and header-block frames: the HTTP/2 default SETTINGS_MAX_FRAME_SIZE,
  // which every control frame a client needs fits in many times over. Not DATA: gRPC 1.51
  // advertises 4,189,679 bytes, yet its own client sends longer DATA frames (5 MB seen with
  // 8 MiB messages) and its server takes them; the guard skips payloads, and gRPC's flow-control
  // windows bound what DATA may make it hold. Header-block frames count against
  // kMaxHeaderBlockBytes instead.
  static constexpr std::uint32_t kMaxControlFrameBytes = 16 << 10;
  // The client library cancels a call only when its guest drops a pending operation: bursts of a
  // few, rarely. 100 at once and 10 a second more leave it far from the bound, and an attacker
  // at most 100 cancelled calls per connection (then it must reconnect).
  static constexpr std::uint64_t kResetBurst = 100;
  static constexpr std::uint64_t kResetsPerSecond = 10;
  // gRPC clients send SETTINGS once and PING for keepalive and BDP probes (one outstanding at a
  // time, at most a few a second under bulk transfer).
  static constexpr std::uint64_t kControlBurst = 100;
  static constexpr std::uint64_t kControlPerSecond = 20;
  // Streams opened by the client and not ended by it (END_STREAM or RST_STREAM).
  static std::size_t max_open_streams();

  // The rules, as audited ("http2-guard:<rule>").
  enum class Verdict {
    ok,
    preface,         // not the HTTP/2 client preface
    frame_size,      // a control frame longer than kMaxControlFrameBytes
    header_block,    // a header block longer than kMaxHeaderBlockBytes
    continuation,    // a CONTINUATION out of place, or another frame inside a header block
    resets,          // RST_STREAM beyond the budget
    open_streams,    // more than max_open_streams() open
    control_frames,  // PING / SETTINGS beyond the budget
  };
  static std::string_view rule(Verdict verdict);

  Http2FrameGuard();

  // The next bytes the client sent, in order, split anywhere. Verdict::ok until a rule is broken.
  Verdict feed(std::span<const std::byte> bytes, Clock::time_point now);
  std::size_t open_streams() const { return open_streams_.size(); }

 private:
  Verdict on_frame(Clock::time_point now);
  void end_stream(std::uint32_t stream);

  Verdict verdict_ = Verdict::ok;
  std::size_t preface_seen_ = 0;
  std::byte header_[9] = {};
  std::size_t header_seen_ = 0;
  std::uint32_t payload_left_ = 0;
  // The header block in progress (HEADERS or PUSH_PROMISE without END_HEADERS).
  bool in_header_block_ = false;
  std::uint32_t block_stream_ = 0;
  std::uint32_t block_bytes_ = 0;
  std::uint32_t highest_stream_ = 0;
  std::vector<std::uint32_t> open_streams_;  // at most max_open_streams() + 1 entries
  policy::TokenBucket resets_{kResetsPerSecond, kResetBurst};
  policy::TokenBucket control_frames_{kControlPerSecond, kControlBurst};
};

}  // namespace wasi_socketd::daemon
