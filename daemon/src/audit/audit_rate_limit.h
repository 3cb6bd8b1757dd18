// How many audit lines each source may write, so that no peer can fill the disk or drown the
// log: one budget per tenant for admitted sessions (every session of a tenant shares it, so
// reconnecting buys no fresh burst) and one per uid for peers no tenant matches. Dropped lines
// are counted per source and reported in a suppression line once the source may write again
// (checked once a second, whoever writes next) or at shutdown.
// Not thread-safe: AuditLog calls it under its own mutex.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_event.h"
#include "policy/token_bucket.h"

namespace wasi_socketd::audit {

class AuditRateLimit {
 public:
  using Clock = std::chrono::steady_clock;
  struct Limit {
    uint64_t per_second;
    uint64_t burst;
  };
  static constexpr Limit kPerTenant{200, 1000};
  static constexpr Limit kPerUnknownUid{20, 100};
  // Sources remembered at once; idle ones (nothing pending, unused for a minute) go first.
  static constexpr std::size_t kMaxSources = 4096;

  // Whether `event` may be written now. Before it, write the returned suppression lines: once a
  // second, one for each source with dropped lines that may write again (each costs a token, so
  // a source never writes more than its rate, suppression lines included).
  bool admit(const AuditEvent& event, std::vector<AuditEvent>& suppression_lines,
             Clock::time_point now = Clock::now());
  // Every pending suppression line (shutdown).
  std::vector<AuditEvent> drain();
  // Lines dropped so far, all sources.
  uint64_t dropped() const { return dropped_; }

  // "N lines of this source were dropped": the line reporting them.
  static AuditEvent suppression_line(const AuditEvent& source, uint64_t count);

 private:
  struct Source {
    Source(Limit limit, const AuditEvent& event);
    policy::TokenBucket budget;
    AuditEvent who;  // tenant, uid, gid, pid of the latest event (for the suppression line)
    uint64_t suppressed = 0;
    Clock::time_point last_used;
  };

  Source& source_for(const AuditEvent& event, Clock::time_point now);
  void forget_idle(Clock::time_point now);
  void report_due(std::vector<AuditEvent>& lines, Clock::time_point now);

  std::map<std::string, std::unique_ptr<Source>> sources_;
  std::unique_ptr<Source> overflow_;  // shared by new sources while sources_ is full
  Clock::time_point last_report_check_{};
  uint64_t dropped_ = 0;
};

}  // namespace wasi_socketd::audit
