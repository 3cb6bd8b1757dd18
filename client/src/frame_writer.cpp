#include "frame_writer.h"

#include <utility>

namespace wasi_socketd::client {

FrameWriter::FrameWriter(Write write, OnFailure on_failure)
    : write_(std::move(write)), on_failure_(std::move(on_failure)), thread_([this] { run(); }) {}

FrameWriter::~FrameWriter() { stop(); }

bool FrameWriter::send(v1::ClientFrame frame) {
  const std::size_t bytes = frame.ByteSizeLong();
  {
    std::lock_guard lock(mu_);
    if (stopping_ || failed_) return false;
    queue_.push_back(Queued{std::move(frame), bytes});
  }
  queued_.notify_one();
  return true;
}

void FrameWriter::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  queued_.notify_one();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

v1::ClientFrame FrameWriter::take_batch() {
  v1::ClientFrame batch = std::move(queue_.front().frame);
  std::size_t bytes = queue_.front().bytes;
  queue_.pop_front();
  while (!queue_.empty() && bytes + queue_.front().bytes <= kMaxBatchBytes) {
    for (v1::ClientItem& item : *queue_.front().frame.mutable_items()) {
      *batch.add_items() = std::move(item);
    }
    bytes += queue_.front().bytes;
    queue_.pop_front();
  }
  return batch;
}

void FrameWriter::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything sent before stop() is written
    v1::ClientFrame batch = take_batch();
    lock.unlock();
    const bool written = write_(batch);
    lock.lock();
    if (!written) {
      failed_ = true;
      queue_.clear();
      lock.unlock();
      on_failure_();
      return;
    }
  }
}

}  // namespace wasi_socketd::client
