// Issue 9 item 4: a drop loses nothing written before it. The client writes 4 MiB as fast as its
// permit allows, then a whole permit, and drops the socket at once, with that write still on its
// way on the Attach stream; the peer must read every byte, in order, then end-of-stream promptly
// (not after the linger). Several rounds, as the race depends on timing.
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

// One round: a fresh pair, 4 MiB written as the permit allows, then a full permit written and
// dropped at once; what the peer read and how many bytes were written (`total`).
Received write_and_drop(const std::shared_ptr<client::Session>& session,
                        client::AddressFamily family, std::size_t* total,
                        std::chrono::nanoseconds* eof_after) {
  TcpPair pair = TcpPair::connect(session, family);
  if (!pair.ok()) return {};
  auto reader = std::async(std::launch::async, read_to_end, TcpStreams(session, pair.server->id()));
  TcpStreams out(session, pair.client->id());
  std::vector<std::uint8_t> chunk;
  for (std::size_t sent = 0; sent < kTotal;) {
    if (!session->wait_until([&](const client::Mirror& m) { return out.output_ready_in(m); },
                             std::chrono::steady_clock::now() + std::chrono::seconds(10))) {
      return {};
    }
    auto room = out.check_write();
    if (!room.ok()) return {};
    chunk.resize(std::min<std::size_t>(room.value, kTotal - sent));
    for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = pattern(sent + i);
    if (!out.write(chunk).ok()) return {};
    sent += chunk.size();
  }
  // Then the whole permit at once, dropped at once: a large write still in flight.
  if (!out.blocking_flush().ok()) return {};
  chunk.resize(static_cast<std::size_t>(out.check_write().value));
  for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = pattern(kTotal + i);
  if (!out.write(chunk).ok()) return {};
  *total = kTotal + chunk.size();
  const auto dropped_at = std::chrono::steady_clock::now();
  EXPECT_TRUE(pair.client->drop());
  if (reader.wait_for(std::chrono::seconds(20)) != std::future_status::ready) return {};
  *eof_after = std::chrono::steady_clock::now() - dropped_at;
  return reader.get();
}

TEST_P(TcpDropTest, DropRightAfterWritingLosesNothing) {
  // Several rounds: whether a drop overtakes writes in flight depends on timing.
  for (int round = 0; round < 4; ++round) {
    std::chrono::nanoseconds eof_after{};
    std::size_t total = 0;
    const Received got = write_and_drop(session_, family(), &total, &eof_after);
    EXPECT_GT(total, kTotal);
    EXPECT_EQ(got.bytes, total) << "round " << round << ": bytes written before the drop were lost";
    EXPECT_EQ(got.first_mismatch, SIZE_MAX) << "first wrong byte at " << got.first_mismatch;
    EXPECT_TRUE(got.ended) << "round " << round;
    EXPECT_LT(eof_after, std::chrono::seconds(5))
        << "round " << round << ": end-of-stream came only after the linger timeout";
  }
}

WSD_INSTANTIATE_FAMILIES(TcpDropTest);

}  // namespace
}  // namespace wasi_socketd::testing
