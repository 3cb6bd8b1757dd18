// TcpStreams against a real broker: reads from pushed data, writes against the permit, flush,
// shutdown and end-of-stream, IPv4 and IPv6.
#include "wasi_socketd/client/tcp_streams.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tcp_pair.h"

namespace wasi_socketd::testing {
namespace {

using client::StreamStatus;
using client::TcpStreams;

std::span<const std::uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Reads exactly n bytes with blocking_read (or fewer if the stream ends).
std::string read_exactly(TcpStreams& in, std::size_t n) {
  std::string out;
  std::vector<std::uint8_t> buf(n);
  while (out.size() < n) {
    auto got = in.blocking_read(std::span(buf.data(), n - out.size()));
    if (!got.ok()) break;
    out.append(reinterpret_cast<const char*>(buf.data()), got.value);
  }
  return out;
}

class TcpStreamsTest : public FamilyTest {
 protected:
  void SetUp() override {
    FamilyTest::SetUp();
    pair_ = TcpPair::connect(session_, family());
    ASSERT_TRUE(pair_.ok());
  }
  TcpStreams client_streams() { return TcpStreams(session_, pair_.client->id()); }
  TcpStreams server_streams() { return TcpStreams(session_, pair_.server->id()); }

  TcpPair pair_;
};

TEST_P(TcpStreamsTest, HelloWorldArrivesAndEmptyReadsAreEmpty) {
  TcpStreams out = client_streams();
  TcpStreams in = server_streams();
  std::uint8_t none[1];
  auto empty = in.read(std::span(none, 0));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty.value, 0u);
  ASSERT_TRUE(out.write({}).ok());
  const std::string message = "Hello, world!";
  auto permit = out.check_write();
  ASSERT_TRUE(permit.ok());
  ASSERT_GE(permit.value, message.size());
  ASSERT_TRUE(out.write(bytes(message)).ok());
  ASSERT_TRUE(out.blocking_flush().ok());
  EXPECT_EQ(read_exactly(in, message.size()), message);
}

TEST_P(TcpStreamsTest, FlushHoldsCheckWriteAtZeroUntilAcknowledged) {
  TcpStreams out = client_streams();
  const auto permit = out.check_write().value;
  ASSERT_GT(permit, 0u);
  ASSERT_TRUE(out.write(bytes("abc")).ok());
  ASSERT_TRUE(out.flush().ok());
  const auto during = out.check_write();
  ASSERT_TRUE(during.ok());
  EXPECT_TRUE(during.value == 0 || during.value == permit);  // 0 unless already acknowledged
  ASSERT_TRUE(out.blocking_flush().ok());
  EXPECT_EQ(out.check_write().value, permit);
}

TEST_P(TcpStreamsTest, WriteBeyondPermitIsRefusedUnsent) {
  TcpStreams out = client_streams();
  const auto permit = out.check_write().value;
  std::vector<std::uint8_t> too_much(permit + 1, 'x');
  auto result = out.write(too_much);
  EXPECT_EQ(result.status, StreamStatus::kFailed);
  EXPECT_EQ(out.write_offset(), 0u);
}

TEST_P(TcpStreamsTest, PeerShutdownAndDropReadsClosedNotEmpty) {
  ASSERT_TRUE(pair_.client->shutdown(client::ShutdownType::kSend));
  pair_.client.reset();
  TcpStreams in = server_streams();
  ASSERT_TRUE(session_->wait_until([&](const client::Mirror& m) { return in.input_ready_in(m); },
                                   std::chrono::steady_clock::now() + std::chrono::seconds(5)));
  std::uint8_t buf[10];
  EXPECT_EQ(in.read(buf).status, StreamStatus::kClosed);
  EXPECT_EQ(in.read(std::span(buf, 0)).status, StreamStatus::kClosed);
}

TEST_P(TcpStreamsTest, OwnShutdownReceiveWithPendingDataReadsClosed) {
  TcpStreams out = client_streams();
  ASSERT_TRUE(out.write(bytes("pending")).ok());
  ASSERT_TRUE(out.blocking_flush().ok());
  TcpStreams in = server_streams();
  ASSERT_TRUE(session_->wait_until([&](const client::Mirror& m) { return in.input_ready_in(m); },
                                   std::chrono::steady_clock::now() + std::chrono::seconds(5)));
  ASSERT_TRUE(pair_.server->shutdown(client::ShutdownType::kReceive));
  std::uint8_t buf[10];
  EXPECT_EQ(in.read(buf).status, StreamStatus::kClosed);
}

TEST_P(TcpStreamsTest, OwnShutdownSendClosesOutput) {
  TcpStreams out = client_streams();
  ASSERT_TRUE(pair_.client->shutdown(client::ShutdownType::kSend));
  EXPECT_EQ(out.check_write().status, StreamStatus::kClosed);
  EXPECT_EQ(out.write(bytes("x")).status, StreamStatus::kClosed);
  EXPECT_EQ(out.flush().status, StreamStatus::kClosed);
}

TEST_P(TcpStreamsTest, BytesWrittenBeforeShutdownSendAllArriveThenEnd) {
  TcpStreams out = client_streams();
  std::string sent;
  for (int i = 0; i < 50; ++i) {
    const std::string chunk(1000, static_cast<char>('a' + i % 26));
    auto permit = out.check_write();
    ASSERT_TRUE(permit.ok());
    if (permit.value < chunk.size()) {
      ASSERT_TRUE(out.blocking_flush().ok());
    }
    ASSERT_TRUE(out.write(bytes(chunk)).ok());
    sent += chunk;
  }
  ASSERT_TRUE(pair_.client->shutdown(client::ShutdownType::kSend));  // no flush before it
  TcpStreams in = server_streams();
  EXPECT_EQ(read_exactly(in, sent.size()), sent);
  std::uint8_t buf[1];
  EXPECT_EQ(in.blocking_read(buf).status, StreamStatus::kClosed);
}

TEST_P(TcpStreamsTest, BulkTransferStaysWithinWindowAndIsComplete) {
  TcpStreams out = client_streams();
  TcpStreams in = server_streams();
  constexpr std::size_t kTotal = 16 << 20;
  std::thread writer([&] {
    std::vector<std::uint8_t> chunk(64 * 1024);
    std::size_t written = 0;
    while (written < kTotal) {
      session_->wait_until([&](const client::Mirror& m) { return out.output_ready_in(m); },
                           client::kNoDeadline);
      auto permit = out.check_write();
      if (!permit.ok()) return;
      const std::size_t n = std::min<std::size_t>({permit.value, chunk.size(), kTotal - written});
      for (std::size_t i = 0; i < n; ++i) chunk[i] = static_cast<std::uint8_t>(written + i);
      if (!out.write(std::span(chunk.data(), n)).ok()) return;
      written += n;
    }
    (void)out.blocking_flush();
  });
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::uint8_t> buf(256 * 1024);
  std::size_t received = 0;
  bool intact = true;
  while (received < kTotal) {
    auto got = in.blocking_read(buf);
    ASSERT_TRUE(got.ok());
    for (std::size_t i = 0; i < got.value; ++i) {
      intact = intact && buf[i] == static_cast<std::uint8_t>(received + i);
    }
    received += got.value;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  writer.join();
  EXPECT_TRUE(intact);
  RecordProperty("throughput_MBps", static_cast<int>(kTotal / seconds / 1e6));
  std::printf("bulk loopback through broker: %.0f MB/s\n", kTotal / seconds / 1e6);
}

WSD_INSTANTIATE_FAMILIES(TcpStreamsTest);

}  // namespace
}  // namespace wasi_socketd::testing
