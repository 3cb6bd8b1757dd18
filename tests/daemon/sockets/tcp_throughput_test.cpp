// Measures the data path the way the session layer drives it: a bounded read window topped up
// as data is consumed and a bounded write permit refilled by acknowledgements, one io thread.
#include <gtest/gtest.h>

#include <iostream>

#include "tcp_test_support.h"

namespace wasi_socketd::sockets {
namespace {

using testing::TcpTest;

constexpr std::size_t kWindow = 4 * 1024 * 1024;
constexpr std::size_t kWriteSize = 1024 * 1024;
constexpr std::size_t kTotal = 512 * 1024 * 1024;

// Re-grants read credit for everything consumed, like an adapter that keeps up.
class Sink final : public TcpObserver {
 public:
  explicit Sink(TcpSocket& socket) : socket_(socket) {}
  void connect_finished() override {}
  void accept_readiness(bool) override {}
  void data_received(std::span<const std::byte> bytes) override {
    received += bytes.size();
    socket_.add_read_credit(bytes.size());
  }
  void input_ended(std::optional<ErrorCode>) override {}
  void bytes_written(std::size_t) override {}
  void output_failed(ErrorCode) override {}
  std::size_t received = 0;

 private:
  TcpSocket& socket_;
};

// Writes whenever the permit allows, like a client honouring check-write.
class Source final : public TcpObserver {
 public:
  explicit Source(TcpSocket& socket) : socket_(socket), chunk_(kWriteSize, std::byte{42}) {}
  void connect_finished() override {}
  void accept_readiness(bool) override {}
  void data_received(std::span<const std::byte>) override {}
  void input_ended(std::optional<ErrorCode>) override {}
  void bytes_written(std::size_t n) override {
    in_flight_ -= n;
    fill();
  }
  void output_failed(ErrorCode) override {}
  void fill() {
    while (sent_ < kTotal && in_flight_ + kWriteSize <= kWindow) {
      ASSERT_TRUE(socket_.write(chunk_));
      sent_ += kWriteSize;
      in_flight_ += kWriteSize;
    }
  }

 private:
  TcpSocket& socket_;
  std::vector<std::byte> chunk_;
  std::size_t sent_ = 0;
  std::size_t in_flight_ = 0;
};

class TcpThroughputTest : public TcpTest {};

TEST_P(TcpThroughputTest, BulkTransferThroughCreditAndPermit) {
  auto pair = connected_pair();
  Sink sink(*pair.server);
  Source source(*pair.client);
  pair.server->set_observer(&sink);
  pair.client->set_observer(&source);
  pair.server->add_read_credit(kWindow);

  const auto start = std::chrono::steady_clock::now();
  source.fill();
  ASSERT_TRUE(io.run_until([&] { return sink.received == kTotal; }, std::chrono::seconds(60)));
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  const double mb_per_s = static_cast<double>(kTotal) / elapsed.count() / 1e6;
  std::cout << "[ MEASURED ] " << (family() == Family::ipv4 ? "IPv4" : "IPv6") << " "
            << kTotal / (1024 * 1024) << " MiB in " << elapsed.count() << " s = " << mb_per_s
            << " MB/s (both ends on one io thread)\n";
  RecordProperty("megabytes_per_second", static_cast<int>(mb_per_s));
  // A floor far below the measured figure, to catch a data path gone pathological.
  EXPECT_GT(mb_per_s, 50.0);
}

INSTANTIATE_TEST_SUITE_P(BothFamilies, TcpThroughputTest,
                         ::testing::Values(Family::ipv4, Family::ipv6), testing::family_name);

}  // namespace
}  // namespace wasi_socketd::sockets
