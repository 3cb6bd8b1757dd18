// The HTTP/2 frame guard on hand-built byte streams of both directions: what a gRPC client and
// server send passes, each rule breaks exactly past its bound, and the verdict does not depend on
// how the bytes are split or how the two directions interleave.
#include "transport/http2_frame_guard.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wasi_socketd/limits.h"

namespace wasi_socketd::daemon {
namespace {

using namespace std::chrono_literals;
using Verdict = Http2FrameGuard::Verdict;
using Clock = Http2FrameGuard::Clock;

constexpr std::uint8_t kData = 0x0;
constexpr std::uint8_t kHeaders = 0x1;
constexpr std::uint8_t kPriority = 0x2;
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

// Its answer as gRPC sends it: HEADERS, the message, trailers with END_STREAM.
std::string unary_answer(std::uint32_t stream) {
  return frame(kHeaders, kEndHeaders, stream, 60) + frame(kData, 0, stream, 20) +
         frame(kHeaders, kEndHeaders | kEndStream, stream, 30);
}

// Bytes one side sent, in the order the guard sees them.
struct Chunk {
  bool from_client;
  std::string bytes;
};

// A connection as a gRPC client and server run it: preface, SETTINGS both ways, acknowledgements,
// calls answered a batch behind (so that neighbouring chunks never depend on each other), window
// updates, a keepalive PING, a cancelled call, a header block in three frames, a call the server
// ends first.
std::vector<Chunk> conversation() {
  std::vector<Chunk> chunks{
      {true, kPreface + frame(kSettings, 0, 0, 18) + frame(kWindowUpdate, 0, 0, 4)},
      {false, frame(kSettings, 0, 0, 12) + frame(kWindowUpdate, 0, 0, 4)},
      {true, frame(kSettings, kAck, 0, 0) + frame(kPing, kAck, 0, 8)},
      {false, frame(kSettings, kAck, 0, 0)},
  };
  std::string answers;
  for (std::uint32_t stream = 1; stream < 200; stream += 8) {
    chunks.push_back({true, unary_call(stream) + unary_call(stream + 2) + unary_call(stream + 4) +
                                unary_call(stream + 6)});
    chunks.push_back({false, answers});
    answers = unary_answer(stream) + unary_answer(stream + 2) + unary_answer(stream + 4) +
              unary_answer(stream + 6);
  }
  chunks.push_back({true, frame(kWindowUpdate, 0, 0, 4)});
  chunks.push_back({false, answers});
  chunks.push_back({true, frame(kHeaders, kEndHeaders, 401, 100) + frame(kData, 0, 401, 16384) +
                              frame(kWindowUpdate, 0, 401, 4) + frame(kRstStream, 0, 401, 4) +
                              frame(kPing, 0, 0, 8)});
  chunks.push_back({false, frame(kPing, kAck, 0, 8) + frame(kData, 0, 0, 4000)});
  // A header block in three frames, well under the bound, then trailers-only end of the stream.
  chunks.push_back({true, frame(kHeaders, 0, 403, 8000) + frame(kContinuation, 0, 403, 8000) +
                              frame(kContinuation, kEndHeaders, 403, 8000) +
                              frame(kHeaders, kEndHeaders | kEndStream, 403, 30)});
  chunks.push_back({true, frame(kHeaders, kEndHeaders, 405, 100) + frame(kData, 0, 405, 50)});
  chunks.push_back({true, frame(kPing, kAck, 0, 8)});  // so that the answers below never cut 405
  // The server ends 403 and, before the client did, 405: it resets what the client did not end.
  chunks.push_back({false, unary_answer(403) + frame(kHeaders, kEndHeaders | kEndStream, 405, 30) +
                               frame(kRstStream, 0, 405, 4)});
  return chunks;
}

Verdict feed(Http2FrameGuard& guard, std::string_view bytes, Clock::time_point now) {
  return guard.feed({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()}, now);
}

Verdict feed_whole(const std::string& bytes) {
  Http2FrameGuard guard;
  return feed(guard, bytes, Clock::now());
}

void feed_outbound(Http2FrameGuard& guard, std::string_view bytes) {
  guard.feed_outbound({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()});
}

// Feeds `chunks` in order; the first rule broken.
Verdict feed_chunks(Http2FrameGuard& guard, const std::vector<Chunk>& chunks,
                    Clock::time_point now) {
  for (const Chunk& chunk : chunks) {
    if (!chunk.from_client) {
      feed_outbound(guard, chunk.bytes);
    } else if (const Verdict verdict = feed(guard, chunk.bytes, now); verdict != Verdict::ok) {
      return verdict;
    }
  }
  return Verdict::ok;
}

// Every chunk split at every byte, with the next chunk, when it is the other direction's, fed
// between its two parts: both directions interleaved anywhere in a frame.
void expect_same_verdict_at_every_interleaving(const std::vector<Chunk>& chunks, Verdict expected,
                                               std::size_t open_at_end) {
  const Clock::time_point now = Clock::now();
  for (std::size_t index = 0; index < chunks.size(); ++index) {
    for (std::size_t split = 0; split <= chunks[index].bytes.size(); ++split) {
      std::vector<Chunk> order(chunks.begin(), chunks.begin() + static_cast<long>(index));
      const Chunk& cut = chunks[index];
      order.push_back({cut.from_client, cut.bytes.substr(0, split)});
      const bool interleave =
          index + 1 < chunks.size() && chunks[index + 1].from_client != cut.from_client;
      if (interleave) order.push_back(chunks[index + 1]);
      order.push_back({cut.from_client, cut.bytes.substr(split)});
      const std::size_t rest = std::min(index + (interleave ? 2 : 1), chunks.size());
      order.insert(order.end(), chunks.begin() + static_cast<long>(rest), chunks.end());
      Http2FrameGuard guard;
      ASSERT_EQ(feed_chunks(guard, order, now), expected)
          << "chunk " << index << " split at byte " << split;
      ASSERT_EQ(guard.open_streams(), open_at_end) << "chunk " << index << " split at " << split;
    }
  }
}

TEST(Http2FrameGuard, WhatAGrpcClientAndServerSendPassesHoweverItIsSplitOrInterleaved) {
  const std::vector<Chunk> chunks = conversation();
  Http2FrameGuard whole;
  EXPECT_EQ(feed_chunks(whole, chunks, Clock::now()), Verdict::ok);
  EXPECT_EQ(whole.open_streams(), 0u) << "every call was closed both ways";
  expect_same_verdict_at_every_interleaving(chunks, Verdict::ok, 0);
  const Clock::time_point now = Clock::now();
  Http2FrameGuard byte_by_byte;
  for (const Chunk& chunk : chunks) {
    for (char byte : chunk.bytes) {
      if (chunk.from_client) {
        ASSERT_EQ(feed(byte_by_byte, std::string(1, byte), now), Verdict::ok);
      } else {
        feed_outbound(byte_by_byte, std::string(1, byte));
      }
    }
  }
  EXPECT_EQ(byte_by_byte.open_streams(), 0u);
}

// The client's bytes alone, split anywhere in two.
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
  // One side's END_STREAM leaves a stream open: the other side still holds it.
  ASSERT_EQ(feed(guard, frame(kData, kEndStream, 1, 5), now), Verdict::ok);
  feed_outbound(guard, frame(kHeaders, kEndHeaders | kEndStream, 3, 5));
  EXPECT_EQ(guard.open_streams(), bound);
  // Closed both ways: END_STREAM each way (either order), or RST_STREAM from either side.
  feed_outbound(guard, frame(kHeaders, kEndHeaders | kEndStream, 1, 5));
  ASSERT_EQ(feed(guard, frame(kHeaders, kEndHeaders | kEndStream, 3, 5), now), Verdict::ok);
  ASSERT_EQ(feed(guard, frame(kRstStream, 0, 5, 4), now), Verdict::ok);
  feed_outbound(guard, frame(kRstStream, 0, 7, 4));
  ASSERT_EQ(guard.open_streams(), bound - 4);
  // gRPC's frames for streams that are not open, or that it never had, change nothing.
  feed_outbound(guard, frame(kRstStream, 0, 1, 4) + frame(kData, kEndStream, 999999, 0) +
                           frame(kHeaders, kEndStream, 2, 0));
  ASSERT_EQ(guard.open_streams(), bound - 4);
  const std::uint32_t next = 2 * static_cast<std::uint32_t>(bound) + 1;
  for (std::uint32_t i = 0; i < 4; ++i) {
    ASSERT_EQ(feed(guard, frame(kHeaders, kEndHeaders, next + 2 * i, 50), now), Verdict::ok);
  }
  EXPECT_EQ(feed(guard, frame(kHeaders, kEndHeaders, next + 8, 50), now), Verdict::open_streams);
}

// The open regression of the guard's first version: calls that carry their whole request end the
// client's side at once, yet gRPC holds each until it answered.
TEST(Http2FrameGuard, CallsWithTheirRequestCountUntilAnswered) {
  const std::size_t bound = Http2FrameGuard::max_open_streams();
  const Clock::time_point now = Clock::now();
  Http2FrameGuard answered;
  ASSERT_EQ(feed(answered, kPreface, now), Verdict::ok);
  for (std::uint32_t i = 0; i < 4 * bound; ++i) {
    ASSERT_EQ(feed(answered, unary_call(2 * i + 1), now), Verdict::ok) << "call " << i;
    feed_outbound(answered, unary_answer(2 * i + 1));
  }
  EXPECT_EQ(answered.open_streams(), 0u);
  std::vector<Chunk> unanswered{{true, kPreface}};
  for (std::uint32_t i = 0; i < bound; ++i) unanswered.push_back({true, unary_call(2 * i + 1)});
  // gRPC's SETTINGS and an answer to another stream, between the client's bytes anywhere.
  unanswered.insert(unanswered.begin() + 1, {false, frame(kSettings, 0, 0, 12)});
  unanswered.push_back({false, frame(kWindowUpdate, 0, 0, 4)});
  unanswered.push_back({true, unary_call(2 * static_cast<std::uint32_t>(bound) + 1)});
  expect_same_verdict_at_every_interleaving(unanswered, Verdict::open_streams, bound + 1);
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

// Frames that carry nothing (CVE-2019-9513, CVE-2019-9518): each breaks past kEmptyBurst.
TEST(Http2FrameGuard, FramesThatCarryNothingBeyondTheirBudgetBreakTheConnection) {
  // Opening a stream earns two window updates: spent here, so that the flood meets the budget.
  const std::string open = kPreface + frame(kHeaders, kEndHeaders, 1, 50) +
                           frame(kWindowUpdate, 0, 1, 4) + frame(kWindowUpdate, 0, 0, 4);
  const std::vector<std::string> empties{
      frame(kPriority, 0, 1, 5),
      frame(kData, 0, 1, 0),
      frame(kWindowUpdate, 0, 0, 4),
      frame(kWindowUpdate, 0, 1, 4),
  };
  for (const std::string& empty : empties) {
    std::string flood = open;
    for (std::uint64_t i = 0; i < Http2FrameGuard::kEmptyBurst; ++i) flood += empty;
    EXPECT_EQ(feed_whole(flood), Verdict::ok);
    expect_same_verdict_at_every_split(flood + empty, Verdict::empty_frames);
  }
  // Empty header-block fragments: HEADERS then CONTINUATIONs of length 0.
  std::string fragments = kPreface + frame(kHeaders, 0, 1, 0);
  for (std::uint64_t i = 1; i < Http2FrameGuard::kEmptyBurst; ++i) {
    fragments += frame(kContinuation, 0, 1, 0);
  }
  EXPECT_EQ(feed_whole(fragments), Verdict::ok);
  expect_same_verdict_at_every_split(fragments + frame(kContinuation, 0, 1, 0),
                                     Verdict::empty_frames);
  // What carries something, or ends a stream, is not counted.
  Http2FrameGuard guard;
  const Clock::time_point now = Clock::now();
  ASSERT_EQ(feed(guard, kPreface, now), Verdict::ok);
  for (std::uint32_t i = 0; i < 1000; ++i) {
    ASSERT_EQ(feed(guard,
                   frame(kHeaders, kEndHeaders, 2 * i + 1, 50) + frame(kData, 0, 2 * i + 1, 5) +
                       frame(kData, kEndStream, 2 * i + 1, 0),
                   now),
              Verdict::ok)
        << "call " << i;
    feed_outbound(guard, unary_answer(2 * i + 1));
  }
}

// A gRPC client's window updates follow its calls (2 each: the stream's and the connection's
// receive window) and the DATA it reads (4 per frame: on receipt and when the application takes
// the message); beyond what it earned, they come from the budget.
TEST(Http2FrameGuard, WindowUpdatesAreEarnedByCallsAndTheDataTheServerSent) {
  const Clock::time_point now = Clock::now();
  const std::string updates = frame(kWindowUpdate, 0, 1, 4) + frame(kWindowUpdate, 0, 0, 4);
  Http2FrameGuard guard;
  ASSERT_EQ(feed(guard, kPreface + frame(kHeaders, kEndHeaders, 1, 50) + updates, now),
            Verdict::ok);
  for (int i = 0; i < 10000; ++i) {
    feed_outbound(guard, frame(kData, 0, 1, 16384));
    ASSERT_EQ(feed(guard, updates + updates, now), Verdict::ok) << "after DATA frame " << i;
  }
  // Empty DATA earns nothing; the budget's burst is all that is left.
  feed_outbound(guard, frame(kData, 0, 1, 0));
  for (std::uint64_t i = 0; i < Http2FrameGuard::kEmptyBurst; ++i) {
    ASSERT_EQ(feed(guard, frame(kWindowUpdate, 0, 0, 4), now), Verdict::ok);
  }
  EXPECT_EQ(feed(guard, frame(kWindowUpdate, 0, 0, 4), now), Verdict::empty_frames);
}

TEST(Http2FrameGuard, EarnedWindowUpdatesCannotBeSavedUpForAFlood) {
  const Clock::time_point now = Clock::now();
  Http2FrameGuard guard;
  ASSERT_EQ(feed(guard, kPreface + frame(kHeaders, kEndHeaders, 1, 50), now), Verdict::ok);
  std::string data;
  for (int i = 0; i < 10000; ++i) data += frame(kData, 0, 1, 100);
  feed_outbound(guard, data);
  const std::uint64_t allowed =
      Http2FrameGuard::kMaxWindowUpdateCredit + Http2FrameGuard::kEmptyBurst;
  for (std::uint64_t i = 0; i < allowed; ++i) {
    ASSERT_EQ(feed(guard, frame(kWindowUpdate, 0, 0, 4), now), Verdict::ok) << i;
  }
  EXPECT_EQ(feed(guard, frame(kWindowUpdate, 0, 0, 4), now), Verdict::empty_frames);
}

TEST(Http2FrameGuard, RulesAreNamedForTheAudit) {
  EXPECT_EQ(Http2FrameGuard::rule(Verdict::header_block), "http2-guard:header-block");
  EXPECT_EQ(Http2FrameGuard::rule(Verdict::resets), "http2-guard:resets");
  EXPECT_EQ(Http2FrameGuard::rule(Verdict::open_streams), "http2-guard:open-streams");
  EXPECT_EQ(Http2FrameGuard::rule(Verdict::frame_size), "http2-guard:frame-size");
  EXPECT_EQ(Http2FrameGuard::rule(Verdict::empty_frames), "http2-guard:empty-frames");
}

}  // namespace
}  // namespace wasi_socketd::daemon
