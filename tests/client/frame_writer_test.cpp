// FrameWriter: order, merging of frames queued during a write, and failure handling.
#include "frame_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <vector>

namespace wasi_socketd::client {
namespace {

v1::ClientFrame credit_frame(std::uint64_t socket_id) {
  v1::ClientFrame frame;
  frame.add_items()->mutable_read_credit()->set_socket_id(socket_id);
  return frame;
}

// The socket ids of every written item, per written frame.
struct Recorder {
  std::mutex mu;
  std::vector<std::vector<std::uint64_t>> frames;

  bool record(const v1::ClientFrame& frame) {
    std::vector<std::uint64_t> ids;
    for (const auto& item : frame.items()) ids.push_back(item.read_credit().socket_id());
    std::lock_guard lock(mu);
    frames.push_back(std::move(ids));
    return true;
  }
};

TEST(FrameWriterTest, WritesEveryFrameInOrderBeforeStopReturns) {
  Recorder recorder;
  FrameWriter writer([&](const v1::ClientFrame& f) { return recorder.record(f); }, [] {});
  for (std::uint64_t id = 0; id < 100; ++id) ASSERT_TRUE(writer.send(credit_frame(id)));
  writer.stop();

  std::vector<std::uint64_t> written;
  for (const auto& frame : recorder.frames)
    written.insert(written.end(), frame.begin(), frame.end());
  std::vector<std::uint64_t> expected;
  for (std::uint64_t id = 0; id < 100; ++id) expected.push_back(id);
  EXPECT_EQ(written, expected);
}

TEST(FrameWriterTest, FramesQueuedDuringAWriteGoOutAsOneFrame) {
  Recorder recorder;
  std::promise<void> first_write_started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> writes{0};
  FrameWriter writer(
      [&](const v1::ClientFrame& f) {
        if (writes++ == 0) {
          first_write_started.set_value();
          released.wait();
        }
        return recorder.record(f);
      },
      [] {});
  ASSERT_TRUE(writer.send(credit_frame(1)));
  first_write_started.get_future().wait();
  for (std::uint64_t id = 2; id <= 4; ++id) ASSERT_TRUE(writer.send(credit_frame(id)));
  release.set_value();
  writer.stop();

  ASSERT_EQ(recorder.frames.size(), 2u);
  EXPECT_EQ(recorder.frames[0], (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(recorder.frames[1], (std::vector<std::uint64_t>{2, 3, 4}));
}

TEST(FrameWriterTest, AFailedWriteIsReportedOnceAndLaterFramesAreRefused) {
  std::atomic<int> failures{0};
  std::promise<void> failed;
  FrameWriter writer([](const v1::ClientFrame&) { return false; },
                     [&] {
                       if (failures++ == 0) failed.set_value();
                     });
  ASSERT_TRUE(writer.send(credit_frame(1)));
  failed.get_future().wait();
  EXPECT_FALSE(writer.send(credit_frame(2)));
  writer.stop();
  EXPECT_EQ(failures.load(), 1);
}

TEST(FrameWriterTest, SendAfterStopIsRefused) {
  Recorder recorder;
  FrameWriter writer([&](const v1::ClientFrame& f) { return recorder.record(f); }, [] {});
  writer.stop();
  EXPECT_FALSE(writer.send(credit_frame(1)));
  EXPECT_TRUE(recorder.frames.empty());
}

}  // namespace
}  // namespace wasi_socketd::client
