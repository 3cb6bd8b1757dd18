// The session's serial executor: strictly FIFO across threads, inline when idle, never nested,
// never blocking a submitter on another thread's work, usable by Asio I/O objects, and its
// sequence check catches state touched off the sequence.
#include "sockets/serial_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "sockets/tcp_socket.h"
#include "test_support.h"

namespace wasi_socketd::sockets {
namespace {

using namespace std::chrono_literals;

class SerialExecutorTest : public ::testing::Test {
 protected:
  boost::asio::io_context io_;
  SerialExecutor sequence_{io_};
};

TEST_F(SerialExecutorTest, AThreadFindingItIdleRunsTheWorkInline) {
  std::thread::id ran_on;
  bool on_sequence = false;
  sequence_.dispatch([&] {
    ran_on = std::this_thread::get_id();
    on_sequence = sequence_.running_in_this_thread();
  });
  EXPECT_EQ(ran_on, std::this_thread::get_id()) << "the work did not run inline";
  EXPECT_TRUE(on_sequence);
  EXPECT_FALSE(sequence_.running_in_this_thread()) << "the sequence was not released";
  EXPECT_EQ(io_.poll(), 0u) << "an idle dispatch woke the io_context";
}

TEST_F(SerialExecutorTest, PostNeverRunsInline) {
  bool ran = false;
  boost::asio::post(sequence_, [&] { ran = true; });
  EXPECT_FALSE(ran);
  io_.run();
  EXPECT_TRUE(ran);
}

TEST_F(SerialExecutorTest, WorkSubmittedFromInsideIsQueuedNotNested) {
  std::vector<std::string> order;
  sequence_.dispatch([&] {
    order.push_back("outer begins");
    sequence_.dispatch([&] { order.push_back("inner"); });
    order.push_back("outer ends");
  });
  // The inner work ran after the outer, drained by the same call: no io thread needed.
  EXPECT_EQ(order, (std::vector<std::string>{"outer begins", "outer ends", "inner"}));
}

TEST_F(SerialExecutorTest, ASubmitterNeverWaitsForAnotherThreadsWork) {
  std::promise<void> inside;
  std::promise<void> leave;
  std::vector<int> order;  // only touched on the sequence
  std::thread holder([&] {
    sequence_.dispatch([&] {
      inside.set_value();
      leave.get_future().wait();
      order.push_back(0);
    });
  });
  inside.get_future().wait();
  // The holder is busy: these must return at once, queued behind it, in submission order.
  std::thread other([&] { sequence_.dispatch([&] { order.push_back(1); }); });
  other.join();
  sequence_.dispatch([&] { order.push_back(2); });
  boost::asio::post(sequence_, [&] { order.push_back(3); });
  leave.set_value();
  holder.join();
  // The holder drained the queue before releasing the sequence.
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(io_.poll(), 0u) << "work was left for the io_context";
}

TEST_F(SerialExecutorTest, AnInlineDrainIsBoundedAndTheRestGoesToTheIoContext) {
  constexpr int kQueued = 3 * detail::SerialQueue::kMaxInlineItems;
  int ran = 0;
  sequence_.dispatch([&] {
    for (int i = 0; i < kQueued; ++i) sequence_.dispatch([&] { ++ran; });
  });
  EXPECT_LE(ran, detail::SerialQueue::kMaxInlineItems) << "the submitting thread was captured";
  io_.run();
  EXPECT_EQ(ran, kQueued);
}

TEST_F(SerialExecutorTest, TimersCompleteOnTheSequence) {
  boost::asio::steady_timer timer(sequence_, 1ms);
  bool on_sequence = false;
  timer.async_wait([&](auto) { on_sequence = sequence_.running_in_this_thread(); });
  io_.run();
  EXPECT_TRUE(on_sequence) << "a timer completion ran off the sequence";
}

TEST_F(SerialExecutorTest, WorkLeftWhenTheIoContextGoesIsReleased) {
  auto io = std::make_unique<boost::asio::io_context>();
  SerialExecutor sequence(*io);
  auto held = std::make_shared<int>(0);
  std::weak_ptr<int> watch = held;
  boost::asio::post(sequence, [held = std::move(held), sequence] { (void)*held; });
  io.reset();  // never run
  EXPECT_TRUE(watch.expired()) << "queued work (and the sequence it holds) leaked";
}

// The work run inline may destroy the last handle on the sequence (a stream's OnDone deleting
// the stream that held the session); the drain after it must not touch freed memory (TSan and
// ASan caught exactly that).
TEST(SerialExecutorLifetime, InlineWorkMayDropTheLastHandle) {
  boost::asio::io_context io;
  auto owner = std::make_unique<SerialExecutor>(io);
  bool ran_after = false;
  SerialExecutor* sequence = owner.get();
  sequence->dispatch([&] {
    sequence->post([&] { ran_after = true; });  // queued: drained after this item
    owner.reset();                              // the queue's only other handle is gone
  });
  EXPECT_TRUE(ran_after);
}

// Several threads submit numbered items (dispatch and post alternately) while two io threads
// drain: no two items ever overlap and each submitter's items run in its order.
TEST_F(SerialExecutorTest, ManySubmittersStayMutuallyExclusiveAndInOrder) {
  constexpr int kSubmitters = 4;
  constexpr int kItems = 20000;
  auto guard = boost::asio::make_work_guard(io_);
  std::vector<std::thread> io_threads;
  for (int i = 0; i < 2; ++i) io_threads.emplace_back([&] { io_.run(); });

  int inside = 0;  // plain ints: only the sequence protects them
  int overlaps = 0;
  int out_of_order = 0;
  std::vector<int> last(kSubmitters, -1);
  std::atomic<int> done{0};
  std::vector<std::thread> submitters;
  for (int s = 0; s < kSubmitters; ++s) {
    submitters.emplace_back([&, s] {
      for (int i = 0; i < kItems; ++i) {
        auto item = [&, s, i] {
          if (++inside != 1) ++overlaps;
          if (last[s] != i - 1) ++out_of_order;
          last[s] = i;
          --inside;
          done.fetch_add(1, std::memory_order_release);
        };
        if (i % 2 == 0) {
          sequence_.dispatch(item);
        } else {
          boost::asio::post(sequence_, item);
        }
      }
    });
  }
  for (std::thread& t : submitters) t.join();
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (done.load(std::memory_order_acquire) < kSubmitters * kItems &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  guard.reset();
  for (std::thread& t : io_threads) t.join();
  ASSERT_EQ(done.load(), kSubmitters * kItems);
  EXPECT_EQ(overlaps, 0) << "two items ran at once";
  EXPECT_EQ(out_of_order, 0) << "a submitter's items ran out of order";
}

// ---- The sequence check ----

class SequenceCheckDeathTest : public SerialExecutorTest {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(SequenceCheckDeathTest, PassesOnTheSequence) {
  bool checked = false;
  sequence_.dispatch([&] {
    sequence_.check_on_sequence();
    checked = true;
  });
  EXPECT_TRUE(checked);
}

TEST_F(SequenceCheckDeathTest, FiresOffTheSequence) {
  EXPECT_DEATH(sequence_.check_on_sequence(), "sequence check failed.*not running it");
}

TEST_F(SequenceCheckDeathTest, FiresFromInsideAnotherSequence) {
  SerialExecutor other(io_);
  EXPECT_DEATH(other.dispatch([&] { sequence_.check_on_sequence(); }),
               "sequence check failed.*another sequence");
}

TEST_F(SequenceCheckDeathTest, TestSequencesAllowAnIdleSequenceButNotABusyOne) {
  SerialExecutor lenient(io_, SequenceCheck::idle_from_outside);
  lenient.check_on_sequence();  // idle, and this thread runs no sequence: allowed
  EXPECT_DEATH(
      {
        std::promise<void> inside;
        std::promise<void> leave;
        std::thread holder([&] {
          lenient.dispatch([&] {
            inside.set_value();
            leave.get_future().wait();
          });
        });
        inside.get_future().wait();
        lenient.check_on_sequence();
        leave.set_value();
        holder.join();
      },
      "sequence check failed.*another thread runs it");
}

TEST_F(SequenceCheckDeathTest, ACoreObjectTouchedOffItsSequenceAborts) {
  if (!kSequenceChecks) GTEST_SKIP() << "sequence checks are compiled out of release builds";
  std::shared_ptr<TcpSocket> socket;
  sequence_.dispatch([&] {
    socket = *TcpSocket::create(sequence_, Family::ipv4, std::make_shared<AllowAllPolicy>());
  });
  ASSERT_TRUE(socket);
  EXPECT_DEATH((void)socket->start_bind(testing::loopback(Family::ipv4)), "sequence check failed");
  sequence_.dispatch([&] { socket->close(); });
}

}  // namespace
}  // namespace wasi_socketd::sockets
