// The audit sink: appends one JSON line per event to stderr or a file, rate limited per tenant
// and per unknown uid (audit_rate_limit.h) with counted suppression lines.
// Thread-safe: record() may be called from any thread; lines never interleave.
// Owns the file descriptor it opened (not stderr's).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "audit/audit_event.h"
#include "audit/audit_rate_limit.h"

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
  // How many lines were written (suppression lines included), and how many events the rate
  // limit dropped (for tests and metrics).
  std::size_t recorded() const;
  std::size_t dropped() const;

 private:
  AuditLog(int fd, bool owns_fd);
  void write_line(const AuditEvent& event);  // mutex_ held

  mutable std::mutex mutex_;
  int fd_;  // -1 discards
  bool owns_fd_;
  std::size_t recorded_ = 0;
  AuditRateLimit rate_limit_;
};

}  // namespace wasi_socketd::audit
