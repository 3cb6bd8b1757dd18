// Bounds what one client connection can make gRPC 1.51 hold, from the frame headers of both
// directions: the client's 24-byte preface, then each frame's 9-byte header (length, type, flags,
// stream id) each way. Payloads are skipped, never parsed (no HPACK). Only the client's frames can
// break a rule; gRPC's frames end streams and earn window updates (parsed as defensively all the
// same). gRPC 1.51
// lacks the fixes of later releases for:
// - header blocks that never end (CVE-2023-33953): HEADERS or PUSH_PROMISE plus CONTINUATIONs
//   longer than kMaxHeaderBlockBytes, or a CONTINUATION where none may come;
// - Rapid Reset (CVE-2023-44487): RST_STREAM frames beyond a token bucket;
// - streams held open before the client acknowledged SETTINGS (gRPC compares with the acknowledged
//   limit only): more than 2 x kMaxConcurrentStreams at once, each counted from the client's
//   HEADERS until it is closed both ways (END_STREAM from each side, or RST_STREAM from either:
//   RFC 9113 5.1), so calls whose request came whole but whose answer has not left count too;
// - frames that carry nothing (PRIORITY, CVE-2019-9513; DATA of length 0 without END_STREAM and
//   header-block fragments of length 0, CVE-2019-9518) and WINDOW_UPDATEs beyond what the client's
//   calls and gRPC's DATA earned (earn_window_updates): a token bucket;
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
  // Frames that carry nothing, and WINDOW_UPDATEs not earned (earn_window_updates): a gRPC client
  // sends none of the former, and one or two of the latter per connection (measured).
  static constexpr std::uint64_t kEmptyBurst = 100;
  static constexpr std::uint64_t kEmptyPerSecond = 20;
  // Earned WINDOW_UPDATEs saved up at most: a client cannot store a flood for later.
  static constexpr std::uint64_t kMaxWindowUpdateCredit = 1024;
  // Streams the client opened that are not closed both ways.
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
    empty_frames,    // frames that carry nothing, unearned WINDOW_UPDATEs, beyond the budget
  };
  static std::string_view rule(Verdict verdict);

  Http2FrameGuard();

  // The next bytes the client sent, in order, split anywhere. Verdict::ok until a rule is broken.
  Verdict feed(std::span<const std::byte> bytes, Clock::time_point now);
  // The next bytes gRPC sent the client, in order, split anywhere, from its first byte (a server's
  // preface is its SETTINGS frame: frame headers from the start).
  void feed_outbound(std::span<const std::byte> bytes);
  std::size_t open_streams() const { return open_streams_.size(); }

 private:
  // One direction's frame headers, payloads skipped.
  struct FrameReader {
    struct Header {
      std::uint32_t length;
      std::uint8_t type;
      std::uint8_t flags;
      std::uint32_t stream;
    };
    // Consumes bytes from `at` up to the end of the next frame header; true when `header` is one.
    bool next(std::span<const std::byte> bytes, std::size_t& at, Header& header);

    std::byte bytes_[9] = {};
    std::size_t seen_ = 0;
    std::uint32_t payload_left_ = 0;
  };
  struct OpenStream {
    std::uint32_t id;
    bool client_ended;
    bool server_ended;
  };
  enum class Side { client, server };

  Verdict on_frame(const FrameReader::Header& frame, Clock::time_point now);
  void on_outbound_frame(const FrameReader::Header& frame);
  // WINDOW_UPDATEs a gRPC client sends, the stream's and the connection's each time: 2 for a call
  // it opens (it announces its receive window), 4 for a DATA frame it reads (once on receipt,
  // once when the application takes the message; measured on the Attach stream).
  void earn_window_updates(std::uint64_t count);
  // END_STREAM from `side` (RST_STREAM closes both).
  void end_stream(std::uint32_t stream, Side side);
  void close_stream(std::uint32_t stream);

  Verdict verdict_ = Verdict::ok;
  std::size_t preface_seen_ = 0;
  FrameReader inbound_;
  FrameReader outbound_;
  // The header block in progress (HEADERS or PUSH_PROMISE without END_HEADERS).
  bool in_header_block_ = false;
  std::uint32_t block_stream_ = 0;
  std::uint32_t block_bytes_ = 0;
  std::uint32_t highest_stream_ = 0;
  std::vector<OpenStream> open_streams_;  // at most max_open_streams() + 1 entries
  // WINDOW_UPDATEs the client earned (earn_window_updates) and has not sent yet.
  std::uint64_t window_update_credit_ = 0;
  policy::TokenBucket resets_{kResetsPerSecond, kResetBurst};
  policy::TokenBucket control_frames_{kControlPerSecond, kControlBurst};
  policy::TokenBucket empty_frames_{kEmptyPerSecond, kEmptyBurst};
};

}  // namespace wasi_socketd::daemon
