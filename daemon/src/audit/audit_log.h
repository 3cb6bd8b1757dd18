// The audit sink: appends one JSON line per event to stderr or a file, rate limited per tenant
// and per unknown uid (audit_rate_limit.h) with counted suppression lines. The lines the rate
// limit admits go through a bounded queue to a writer thread of their own (audit_writer.h).
// Thread-safe: record() may be called from any thread (io threads, gRPC threads) and never waits
// for the sink; lines never interleave. Destroying it writes every queued line.
// Owns the file descriptor it opened (not stderr's).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "audit/audit_event.h"
#include "audit/audit_rate_limit.h"
#include "audit/audit_writer.h"

namespace wasi_socketd::audit {

class AuditLog {
 public:
  // Writes to the daemon's stderr.
  static std::shared_ptr<AuditLog> to_stderr();
  // Appends to `path` (created 0600 if missing). Returns nullptr and sets `error` on failure.
  static std::shared_ptr<AuditLog> to_file(const std::string& path, std::string& error);
  // Discards everything (audit disabled by policy).
  static std::shared_ptr<AuditLog> discard();

  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  void record(const AuditEvent& event);
  // Waits until every line recorded before the call is written (tests; the destructor does it).
  void flush();
  // How many lines were written (suppression and "audit.dropped" lines included), how many
  // events the rate limit dropped, and how many lines the full queue dropped (tests, metrics).
  std::size_t recorded() const;
  std::size_t dropped() const;
  std::uint64_t queue_dropped() const;

 private:
  AuditLog(int fd, bool owns_fd);

  const int fd_;  // -1 discards
  const bool owns_fd_;
  mutable std::mutex mutex_;  // guards rate_limit_; held while queueing, so lines keep its order
  AuditRateLimit rate_limit_;
  std::unique_ptr<AuditWriter> writer_;  // nullptr when discarding
};

}  // namespace wasi_socketd::audit
