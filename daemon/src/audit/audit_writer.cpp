#include "audit/audit_writer.h"

#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

#include "audit/json_line.h"

namespace wasi_socketd::audit {

AuditWriter::AuditWriter(int fd) : fd_(fd), thread_([this] { run(); }) {}

AuditWriter::~AuditWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_writer_.notify_one();
  thread_.join();
}

AuditEvent AuditWriter::dropped_line(std::uint64_t count) {
  AuditEvent line;
  line.operation = "audit.dropped";
  line.rule = "audit.queue_full";
  line.suppressed = count;
  return line;
}

void AuditWriter::enqueue(AuditEvent event) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= kQueueBound) {
      ++dropped_;
      ++unreported_;
      return;
    }
    push_pending_report();
    queue_.push_back(std::move(event));
    ++queued_;
  }
  wake_writer_.notify_one();
}

void AuditWriter::push_pending_report() {
  if (unreported_ == 0) return;
  queue_.push_back(dropped_line(unreported_));
  ++queued_;
  unreported_ = 0;
}

void AuditWriter::flush() {
  std::unique_lock lock(mutex_);
  // Drops counted before the call are reported by one more line, queued once the queue empties.
  const std::uint64_t target = queued_ + (unreported_ != 0 ? 1 : 0);
  caught_up_.wait(lock, [&] { return handled_ >= target; });
}

std::size_t AuditWriter::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

std::uint64_t AuditWriter::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void AuditWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // Caught up with drops still unreported: report them now rather than at the next record().
    if (queue_.empty()) push_pending_report();
    if (queue_.empty()) {
      caught_up_.notify_all();
      if (stopping_) return;
      wake_writer_.wait(lock, [&] { return stopping_ || !queue_.empty() || unreported_ != 0; });
      continue;
    }
    std::deque<AuditEvent> batch;
    batch.swap(queue_);
    lock.unlock();
    for (const AuditEvent& event : batch) write(event);
    lock.lock();
    handled_ += batch.size();
    caught_up_.notify_all();
  }
}

void AuditWriter::write(const AuditEvent& event) {
  const std::string line = to_json_line(event) + '\n';
  // One write() per line: O_APPEND keeps lines whole even with other writers.
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // an audit sink that cannot write must not take the daemon down
    done += static_cast<std::size_t>(n);
  }
  std::lock_guard lock(mutex_);
  ++written_;
}

}  // namespace wasi_socketd::audit
