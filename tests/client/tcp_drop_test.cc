// Issue 9 item 4: a drop loses nothing written before it. The client writes 4 MiB as fast as its
// permit allows and drops the socket at once, with writes still queued for the Attach stream;
// the peer must read every byte, in order, then end-of-stream promptly (not after the linger).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <vector>

#include "tcp_pair.h"
#include "wasi_socketd/client/tcp_streams.h"

namespace wasi_socketd::testing {
namespace {

using client::StreamStatus;
using client::TcpStreams;

constexpr std::size_t kTotal = 4 << 20;

std::uint8_t pattern(std::size_t at) { return static_cast<std::uint8_t>(at % 251); }

struct Received {
  std::size_t bytes = 0;
  std::size_t first_mismatch = SIZE_MAX;
  bool ended = false;
};

// Reads until end-of-stream, checking every byte against pattern().
Received read_to_end(TcpStreams in) {
  Received got;
  std::vector<std::uint8_t> buffer(256 * 1024);
  for (;;) {
    auto n = in.blocking_read(buffer);
    if (!n.ok()) {
      got.ended = n.status == StreamStatus::kClosed;
      return got;
    }
    for (std::size_t i = 0; i < n.value; ++i) {
      if (buffer[i] != pattern(got.bytes + i) && got.first_mismatch == SIZE_MAX) {
        got.first_mismatch = got.bytes + i;
      }
    }
    got.bytes += n.value;
  }
}

class TcpDropTest : public FamilyTest {};

TEST_P(TcpDropTest, DropRightAfterWritingLosesNothing) {
  TcpPair pair = TcpPair::connect(session_, family());
  ASSERT_TRUE(pair.ok());
  auto reader =
      std::async(std::launch::async, read_to_end, TcpStreams(session_, pair.server->id()));

  TcpStreams out(session_, pair.client->id());
  std::vector<std::uint8_t> chunk;
  for (std::size_t sent = 0; sent < kTotal;) {
    ASSERT_TRUE(
        session_->wait_until([&](const client::Mirror& m) { return out.output_ready_in(m); },
                             std::chrono::steady_clock::now() + std::chrono::seconds(10)));
    auto room = out.check_write();
    ASSERT_TRUE(room.ok());
    chunk.resize(std::min<std::size_t>(room.value, kTotal - sent));
    for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = pattern(sent + i);
    ASSERT_TRUE(out.write(chunk).ok());
    sent += chunk.size();
  }
  const auto dropped_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(pair.client->drop());  // at once: the last permit's worth is still in flight

  ASSERT_EQ(reader.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  const Received got = reader.get();
  EXPECT_EQ(got.bytes, kTotal) << "bytes written before the drop were lost";
  EXPECT_EQ(got.first_mismatch, SIZE_MAX) << "first wrong byte at " << got.first_mismatch;
  EXPECT_TRUE(got.ended);
  EXPECT_LT(std::chrono::steady_clock::now() - dropped_at, std::chrono::seconds(5))
      << "end-of-stream came only after the linger timeout";
}

WSD_INSTANTIATE_FAMILIES(TcpDropTest);

}  // namespace
}  // namespace wasi_socketd::testing
