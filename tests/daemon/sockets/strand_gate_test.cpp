// The session strand's gate: work done under it never overlaps the strand's handlers, and the
// strand still works as an executor for sockets and timers.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "sockets/strand.h"

namespace wasi_socketd::sockets {
namespace {

using namespace std::chrono_literals;

class StrandGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    work_.reset();
    thread_.join();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  Strand strand_ = make_strand(io_);
  std::thread thread_;
};

TEST_F(StrandGateTest, AHandlerWaitsWhileTheGateIsHeld) {
  std::atomic<bool> ran{false};
  {
    auto entered = gate_of(strand_).try_enter();
    ASSERT_TRUE(entered);
    boost::asio::post(strand_, [&] { ran = true; });
    std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(ran) << "a strand handler ran while another thread held the gate";
  }
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!ran && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(ran) << "the handler did not run once the gate was released";
}

TEST_F(StrandGateTest, TheGateCannotBeEnteredWhileAHandlerRuns) {
  std::promise<void> inside;
  std::promise<void> leave;
  auto leave_signal = leave.get_future().share();
  boost::asio::post(strand_, [&inside, leave_signal] {
    inside.set_value();
    leave_signal.wait();
  });
  inside.get_future().wait();
  EXPECT_FALSE(gate_of(strand_).try_enter()) << "entered the gate during a strand handler";
  leave.set_value();
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  bool entered = false;
  while (!entered && std::chrono::steady_clock::now() < deadline) {
    entered = static_cast<bool>(gate_of(strand_).try_enter());
    if (!entered) std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(entered) << "the gate stayed closed after the handler returned";
}

TEST_F(StrandGateTest, GatedWorkAndHandlersNeverOverlap) {
  // Handlers and a competing thread both bump a plain counter only the gate protects; any overlap
  // shows up as a lost update (and as a data race under a sanitizer).
  constexpr int kRounds = 20000;
  int counter = 0;
  std::atomic<int> handlers_done{0};
  std::thread competitor([&] {
    for (int i = 0; i < kRounds;) {
      if (auto entered = gate_of(strand_).try_enter()) {
        ++counter;
        ++i;
      }
    }
  });
  for (int i = 0; i < kRounds; ++i) {
    boost::asio::post(strand_, [&] {
      ++counter;
      ++handlers_done;
    });
  }
  competitor.join();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (handlers_done < kRounds && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_EQ(handlers_done, kRounds);
  std::promise<int> total;
  boost::asio::post(strand_, [&] { total.set_value(counter); });
  EXPECT_EQ(total.get_future().get(), 2 * kRounds);
}

TEST_F(StrandGateTest, TimersCompleteOnTheStrandHoldingTheGate) {
  boost::asio::steady_timer timer(strand_, 1ms);
  std::promise<bool> on_strand;
  timer.async_wait([&](boost::system::error_code) {
    // Asked from another thread: trying a held std::mutex from its owner is undefined.
    auto gate_free = std::async(std::launch::async,
                                [&] { return static_cast<bool>(gate_of(strand_).try_enter()); });
    on_strand.set_value(strand_.running_in_this_thread() && !gate_free.get());
  });
  EXPECT_TRUE(on_strand.get_future().get()) << "a timer completion ran outside the strand's gate";
}

}  // namespace
}  // namespace wasi_socketd::sockets
