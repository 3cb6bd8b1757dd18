// The audit log's writer thread: takes audit lines through a bounded queue, so that whoever
// records (io threads, gRPC threads) never waits for the disk or a slow pipe.
// When the queue is full the line is dropped and counted; the count is reported in one
// "audit.dropped" line at the place of the gap, as soon as the queue has room again (or the
// writer has caught up). The destructor writes everything still queued, then joins.
//
// Threading: enqueue()/flush()/counters from any thread; write() runs only on the writer thread.
// Shutdown waits for the sink to take the queued lines: a file never blocks for long, a pipe
// nobody reads would (the daemon's sinks are files and stderr).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "audit/audit_event.h"

namespace wasi_socketd::audit {

class AuditWriter {
 public:
  // Lines waiting for the writer at most (plus one "audit.dropped" line reporting a gap).
  // At ~200 bytes a line this holds under 1 MiB; a sink that stalls for longer loses lines.
  static constexpr std::size_t kQueueBound = 4096;

  // Writes to `fd` (not owned) on a thread of its own.
  explicit AuditWriter(int fd);
  ~AuditWriter();
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  // Queues `event`, or drops and counts it when the queue is full. Never waits for the sink.
  void enqueue(AuditEvent event);
  // Waits until every line queued before the call, and the report of the drops counted before
  // it, has been handed to the sink (tests, shutdown).
  void flush();

  // Lines the sink took, "audit.dropped" lines included.
  std::size_t written() const;
  // Lines dropped because the queue was full, all time.
  std::uint64_t dropped() const;

  // The line that reports `count` lines dropped by a full queue.
  static AuditEvent dropped_line(std::uint64_t count);

 private:
  void run();
  void write(const AuditEvent& event);  // writer thread, no lock held
  void push_pending_report();           // mutex_ held

  const int fd_;
  mutable std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::condition_variable caught_up_;
  std::deque<AuditEvent> queue_;
  std::uint64_t queued_ = 0;   // lines ever queued
  std::uint64_t handled_ = 0;  // of those, lines the writer is done with (written or failed)
  std::size_t written_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t unreported_ = 0;  // dropped since the last "audit.dropped" line
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace wasi_socketd::audit
