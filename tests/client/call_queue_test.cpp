// CallQueue: pipelined calls run in order on one thread; what comes after them waits (wait_idle)
// or joins the queue while it is busy (queue_if_busy); stop() runs what is queued.
#include "call_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <vector>

namespace wasi_socketd::client {
namespace {

TEST(CallQueue, RunsCallsInOrderOnOneThread) {
  CallQueue queue;
  std::mutex mu;
  std::vector<int> ran;
  std::vector<std::thread::id> threads;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(queue.queue([&, i] {
      std::lock_guard lock(mu);
      ran.push_back(i);
      threads.push_back(std::this_thread::get_id());
    }));
  }
  queue.wait_idle();
  ASSERT_EQ(ran.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(ran[i], i);
  for (auto id : threads) EXPECT_EQ(id, threads.front());
  EXPECT_NE(threads.front(), std::this_thread::get_id());
}

TEST(CallQueue, LaterWorkComesAfterARunningCall) {
  CallQueue queue;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> first_done{false};
  EXPECT_FALSE(queue.queue_if_busy([] {})) << "idle: the caller goes ahead itself";
  ASSERT_TRUE(queue.queue([&] {
    released.wait();
    first_done = true;
  }));
  std::atomic<bool> joined_after{false};
  EXPECT_TRUE(queue.queue_if_busy([&] { joined_after = first_done.load(); }));
  auto waiter = std::async(std::launch::async, [&] {
    queue.wait_idle();
    return first_done.load();
  });
  EXPECT_EQ(waiter.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout)
      << "wait_idle returned while a call was running";
  release.set_value();
  EXPECT_TRUE(waiter.get());
  EXPECT_TRUE(joined_after);
}

TEST(CallQueue, StopRunsWhatIsQueuedThenRefuses) {
  CallQueue queue;
  std::atomic<int> ran{0};
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(queue.queue([&] { ++ran; }));
  queue.stop();
  EXPECT_EQ(ran, 10);
  EXPECT_FALSE(queue.queue([&] { ++ran; }));
  queue.wait_idle();  // returns: nothing runs any more
}

}  // namespace
}  // namespace wasi_socketd::client
