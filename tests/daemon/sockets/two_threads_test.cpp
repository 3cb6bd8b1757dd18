// The daemon runs its io_context on 1-2 threads with one strand per session. Several sessions
// move data at once on two threads; each session's sockets see only their own strand, so every
// byte arrives intact and in order.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <thread>

#include "raw_socket.h"  // pattern()
#include "sockets/tcp_socket.h"
#include "test_support.h"

namespace wasi_socketd::sockets {
namespace {

using testing::pattern;

constexpr std::size_t kBytesPerSession = 16 * 1024 * 1024;
constexpr int kSessions = 4;

// One session: a listener, a client and the accepted socket, all on one strand. The client sends
// a known pattern, the server checks it byte by byte.
class Session final : public TcpObserver {
 public:
  Session(boost::asio::io_context& io, std::atomic<int>& finished)
      : strand_(make_strand(io)), finished_(finished), data_(pattern(kBytesPerSession)) {}

  void start() {
    boost::asio::post(strand_, [this] {
      auto policy = std::make_shared<AllowAllPolicy>();
      listener_ = *TcpSocket::create(strand_, Family::ipv4, policy);
      ASSERT_TRUE(listener_->start_bind(testing::loopback(Family::ipv4)));
      ASSERT_TRUE(listener_->finish_bind());
      ASSERT_TRUE(listener_->start_listen());
      ASSERT_TRUE(listener_->finish_listen());
      listener_->set_observer(this);
      client_ = *TcpSocket::create(strand_, Family::ipv4, policy);
      client_->set_observer(this);
      ASSERT_TRUE(client_->start_connect(*listener_->local_address()));
    });
  }

  void connect_finished() override {
    check_strand();
    ASSERT_TRUE(client_->finish_connect());
    ASSERT_TRUE(client_->write(data_));
  }
  void accept_readiness(bool ready) override {
    check_strand();
    if (!ready || server_) return;
    auto accepted = listener_->accept();
    if (!accepted) return;
    server_ = *accepted;
    server_->set_observer(this);
    server_->add_read_credit(kBytesPerSession);
  }
  void data_received(std::span<const std::byte> bytes) override {
    check_strand();
    for (auto byte : bytes) {
      if (byte != data_[received_++]) ++mismatches;
    }
    if (received_ == kBytesPerSession) finished_++;
  }
  void input_ended(std::optional<ErrorCode>) override {}
  void bytes_written(std::size_t) override { check_strand(); }
  void output_failed(ErrorCode) override { ADD_FAILURE() << "output failed"; }

  void stop() {
    boost::asio::post(strand_, [this] {
      for (auto* socket : {&listener_, &client_, &server_}) {
        if (*socket) (*socket)->close();
      }
      stopped_ = true;
    });
  }

  std::atomic<bool> stopped_ = false;
  std::size_t mismatches = 0;
  std::atomic<int> off_strand = 0;

 private:
  void check_strand() {
    if (!strand_.running_in_this_thread()) ++off_strand;
  }

  Strand strand_;
  std::atomic<int>& finished_;
  std::vector<std::byte> data_;
  std::size_t received_ = 0;
  std::shared_ptr<TcpSocket> listener_, client_, server_;
};

TEST(TwoThreads, SessionsOnTheirOwnStrandsMoveDataIntact) {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::atomic<int> finished = 0;
  std::vector<std::unique_ptr<Session>> sessions;
  for (int i = 0; i < kSessions; ++i) sessions.push_back(std::make_unique<Session>(io, finished));
  std::thread first([&] { io.run(); });
  std::thread second([&] { io.run(); });
  for (auto& session : sessions) session->start();

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (finished < kSessions && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(finished, kSessions);
  for (auto& session : sessions) session->stop();
  for (auto& session : sessions) {
    while (!session->stopped_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  work.reset();
  io.stop();
  first.join();
  second.join();
  for (auto& session : sessions) {
    EXPECT_EQ(session->mismatches, 0u);
    EXPECT_EQ(session->off_strand, 0) << "an event ran outside the session's strand";
  }
}

}  // namespace
}  // namespace wasi_socketd::sockets
