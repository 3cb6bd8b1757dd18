// The HTTP/2 frame guard on hand-built byte streams: what a gRPC client sends passes, each rule
// breaks exactly past its bound, and the verdict does not depend on how the bytes are split.
#include "transport/http2_frame_guard.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "wasi_socketd/limits.h"

namespace wasi_socketd::daemon {
namespace {

using namespace std::chrono_literals;
using Verdict = Http2FrameGuard::Verdict;
using Clock = Http2FrameGuard::Clock;

constexpr std::uint8_t kData = 0x0;
constexpr std::uint8_t kHeaders = 0x1;
constexpr std::uint8_t kRstStream = 0x3;
constexpr std::uint8_t kSettings = 0x4;
constexpr std::uint8_t kPushPromise = 0x5;
constexpr std::uint8_t kPing = 0x6;
constexpr std::uint8_t kWindowUpdate = 0x8;
constexpr std::uint8_t kContinuation = 0x9;
constexpr std::uint8_t kEndStream = 0x1;
constexpr std::uint8_t kAck = 0x1;
constexpr std::uint8_t kEndHeaders = 0x4;

const std::string kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, std::size_t length) {
  std::string out;
  out.push_back(static_cast<char>(length >> 16));
  out.push_back(static_cast<char>(length >> 8));
  out.push_back(static_cast<char>(length));
  out.push_back(static_cast<char>(type));
  out.push_back(static_cast<char>(flags));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(stream >> shift));
  // The payload's bytes look like frame headers: the guard must skip them, not read them.
  out.append(length, '\x09');
  return out;
}

// A unary call as gRPC sends it: HEADERS, then its message in DATA with END_STREAM.
std::string unary_call(std::uint32_t stream) {
  return frame(kHeaders, kEndHeaders, stream, 120) + frame(kData, kEndStream, stream, 40);
}

// What a gRPC client sends on a connection: preface, SETTINGS, acknowledgements, calls, window
// updates, a keepalive PING, a cancelled call.
std::string conversation() {
  std::string bytes = kPreface + frame(kSettings, 0, 0, 18) + frame(kWindowUpdate, 0, 0, 4) +
                      frame(kSettings, kAck, 0, 0) + frame(kPing, kAck, 0, 8);
  for (std::uint32_t stream = 1; stream < 100; stream += 2) bytes += unary_call(stream);
  bytes += frame(kHeaders, kEndHeaders, 401, 100) + frame(kData, 0, 401, 16384) +
           frame(kWindowUpdate, 0, 401, 4) + frame(kRstStream, 0, 401, 4) + frame(kPing, 0, 0, 8);
  // A header block in three frames, well under the bound, then trailers-only end of the stream.
  bytes += frame(kHeaders, 0, 403, 8000) + frame(kContinuation, 0, 403, 8000) +
           frame(kContinuation, kEndHeaders, 403, 8000) +
           frame(kHeaders, kEndHeaders | kEndStream, 403, 30);
  return bytes;
}

Verdict feed(Http2FrameGuard& guard, std::string_view bytes, Clock::time_point now) {
  return guard.feed({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()}, now);
}

Verdict feed_whole(const std::string& bytes) {
  Http2FrameGuard guard;
  return feed(guard, bytes, Clock::now());
}

// The verdict with the bytes split in two at every position.
void expect_same_verdict_at_every_split(const std::string& bytes, Verdict expected) {
  const Clock::time_point now = Clock::now();
  for (std::size_t split = 0; split <= bytes.size(); ++split) {
    Http2FrameGuard guard;
    const std::string_view view = bytes;
    Verdict verdict = feed(guard, view.substr(0, split), now);
    if (verdict == Verdict::ok) verdict = feed(guard, view.substr(split), now);
    ASSERT_EQ(verdict, expected) << "split at byte " << split;
  }
}

TEST(Http2FrameGuard, WhatAGrpcClientSendsPassesHoweverItIsSplit) {
  const std::string bytes = conversation();
  EXPECT_EQ(feed_whole(bytes), Verdict::ok);
  expect_same_verdict_at_every_split(bytes, Verdict::ok);
  const Clock::time_point now = Clock::now();
  Http2FrameGuard byte_by_byte;
  for (char byte : bytes) ASSERT_EQ(feed(byte_by_byte, std::string(1, byte), now), Verdict::ok);
  EXPECT_EQ(byte_by_byte.open_streams(), 0u) << "every call was ended";
}

TEST(Http2FrameGuard, AnythingButTheClientPrefaceBreaksTheConnection) {
  EXPECT_EQ(feed_whole("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), Verdict::preface);
  std::string almost = kPreface;
  almost.back() = 'x';
  expect_same_verdict_at_every_split(almost + frame(kSettings, 0, 0, 0), Verdict::preface);
}

TEST(Http2FrameGuard, AHeaderBlockPastItsBoundBreaksTheConnectionWhereverItIsSplit) {
  // 4 x 16 KiB: exactly the bound, accepted.
  std::string block = kPreface + frame(kHeaders, 0, 1, 16384);
  for (int i = 0; i < 2; ++i) block += frame(kContinuation, 0, 1, 16384);
  EXPECT_EQ(feed_whole(block + frame(kContinuation, kEndHeaders, 1, 16384)), Verdict::ok);
  // One byte more, and a block that never ends.
  EXPECT_EQ(feed_whole(block + frame(kContinuation, 0, 1, 16384) + frame(kContinuation, 0, 1, 1)),
            Verdict::header_block);
  std::string flood = kPreface + frame(kHeaders, 0, 1, 100);
  for (int i = 0; i < 20; ++i) flood += frame(kContinuation, 0, 1, 4010);
  expect_same_verdict_at_every_split(flood, Verdict::header_block);
  // PUSH_PROMISE blocks count the same.
  std::string promise = kPreface + frame(kPushPromise, 0, 1, 16384);
  for (int i = 0; i < 4; ++i) promise += frame(kContinuation, 0, 1, 16384);
  EXPECT_EQ(feed_whole(promise), Verdict::header_block);
}

TEST(Http2FrameGuard, AContinuationOutOfPlaceBreaksTheConnection) {
  EXPECT_EQ(feed_whole(kPreface + frame(kContinuation, kEndHeaders, 1, 10)), Verdict::continuation);
  EXPECT_EQ(feed_whole(kPreface + unary_call(1) + frame(kContinuation, kEndHeaders, 1, 10)),
            Verdict::continuation)
      << "after END_HEADERS";
  EXPECT_EQ(feed_whole(kPreface + frame(kHeaders, 0, 1, 10) + frame(kContinuation, 0, 3, 10)),
            Verdict::continuation)
      << "another stream's";
  expect_same_verdict_at_every_split(kPreface + frame(kHeaders, 0, 1, 10) + frame(kPing, 0, 0, 8),
                                     Verdict::continuation);
}

TEST(Http2FrameGuard, ResetsBeyondTheirBudgetBreakTheConnectionAndRefill) {
  Http2FrameGuard guard;
  const Clock::time_point start = Clock::now();  // after the buckets were filled
  ASSERT_EQ(feed(guard, kPreface, start), Verdict::ok);
  std::uint32_t stream = 1;
  auto open_and_reset = [&](Clock::time_point now) {
    const Verdict verdict = feed(guard, unary_call(stream) + frame(kRstStream, 0, stream, 4), now);
    stream += 2;
    return verdict;
  };
  for (int i = 0; i < static_cast<int>(Http2FrameGuard::kResetBurst); ++i) {
    ASSERT_EQ(open_and_reset(start), Verdict::ok) << "reset " << i;
  }
  // Refilled at kResetsPerSecond: one second later, that many more.
  for (int i = 0; i < static_cast<int>(Http2FrameGuard::kResetsPerSecond); ++i) {
    ASSERT_EQ(open_and_reset(start + 1s), Verdict::ok) << "refilled reset " << i;
  }
  EXPECT_EQ(open_and_reset(start + 1s), Verdict::resets);
  EXPECT_EQ(feed(guard, unary_call(stream), start + 60s), Verdict::resets) << "stays broken";
}

TEST(Http2FrameGuard, TooManyStreamsHeldOpenBreakTheConnection) {
  const std::size_t bound = Http2FrameGuard::max_open_streams();
  EXPECT_EQ(bound, 2u * kMaxConcurrentStreams);
  std::string bytes = kPreface;
  for (std::uint32_t i = 0; i < bound; ++i) bytes += frame(kHeaders, kEndHeaders, 2 * i + 1, 50);
  const Clock::time_point now = Clock::now();
  Http2FrameGuard guard;
  ASSERT_EQ(feed(guard, bytes, now), Verdict::ok);
  EXPECT_EQ(guard.open_streams(), bound);
  // Ending one (its message, a reset, trailers) makes room for one more, not two.
  ASSERT_EQ(feed(guard, frame(kData, kEndStream, 1, 5), now), Verdict::ok);
  ASSERT_EQ(feed(guard, frame(kRstStream, 0, 3, 4), now), Verdict::ok);
  ASSERT_EQ(feed(guard, frame(kHeaders, kEndHeaders | kEndStream, 5, 5), now), Verdict::ok);
  ASSERT_EQ(guard.open_streams(), bound - 3);
  const std::uint32_t next = 2 * static_cast<std::uint32_t>(bound) + 1;
  for (std::uint32_t i = 0; i < 3; ++i) {
    ASSERT_EQ(feed(guard, frame(kHeaders, kEndHeaders, next + 2 * i, 50), now), Verdict::ok);
  }
  EXPECT_EQ(feed(guard, frame(kHeaders, kEndHeaders, next + 6, 50), now), Verdict::open_streams);
}

// Frame headers alone: the guard never needs the payload to judge.
std::string frame_header(std::uint8_t type, std::uint32_t stream, std::size_t length) {
  return frame(type, 0, stream, 0)
      .replace(0, 3,
               {static_cast<char>(length >> 16), static_cast<char>(length >> 8),
                static_cast<char>(length)});
}

TEST(Http2FrameGuard, ControlFramesLongerThanTheHttp2DefaultBreakTheConnection) {
  constexpr std::size_t bound = Http2FrameGuard::kMaxControlFrameBytes;
  for (std::uint8_t type : {kSettings, kPing, kRstStream, kWindowUpdate, std::uint8_t{0x7},
                            std::uint8_t{0x2}, std::uint8_t{0xa}}) {
    EXPECT_EQ(feed_whole(kPreface + frame(type, kAck, 0, bound)), Verdict::ok) << int{type};
    expect_same_verdict_at_every_split(kPreface + frame_header(type, 0, bound + 1),
                                       Verdict::frame_size);
  }
  // DATA up to the protocol's largest frame: gRPC's own client sends DATA frames of megabytes.
  EXPECT_EQ(feed_whole(kPreface + frame_header(kData, 1, (1u << 24) - 1)), Verdict::ok);
}

TEST(Http2FrameGuard, PingAndSettingsFloodsBreakTheConnectionAcknowledgementsDoNot) {
  const Clock::time_point now = Clock::now();
  Http2FrameGuard guard;
  ASSERT_EQ(feed(guard, kPreface, now), Verdict::ok);
  for (int i = 0; i < 10000; ++i) {
    ASSERT_EQ(feed(guard, frame(kPing, kAck, 0, 8) + frame(kSettings, kAck, 0, 0), now),
              Verdict::ok);
  }
  for (int i = 0; i < static_cast<int>(Http2FrameGuard::kControlBurst) / 2; ++i) {
    ASSERT_EQ(feed(guard, frame(kPing, 0, 0, 8) + frame(kSettings, 0, 0, 6), now), Verdict::ok);
  }
  EXPECT_EQ(feed(guard, frame(kPing, 0, 0, 8), now), Verdict::control_frames);
}

TEST(Http2FrameGuard, RulesAreNamedForTheAudit) {
  EXPECT_EQ(Http2FrameGuard::rule(Verdict::header_block), "http2-guard:header-block");
  EXPECT_EQ(Http2FrameGuard::rule(Verdict::resets), "http2-guard:resets");
  EXPECT_EQ(Http2FrameGuard::rule(Verdict::open_streams), "http2-guard:open-streams");
  EXPECT_EQ(Http2FrameGuard::rule(Verdict::frame_size), "http2-guard:frame-size");
}

}  // namespace
}  // namespace wasi_socketd::daemon
