#include "audit/audit_rate_limit.h"

namespace wasi_socketd::audit {
namespace {

constexpr auto kIdleAfter = std::chrono::minutes(1);

// Admitted sessions are charged to their tenant; a peer no tenant matches, to its uid.
std::string source_key(const AuditEvent& event) {
  if (!event.tenant.empty()) return "tenant:" + event.tenant;
  return "uid:" + std::to_string(event.uid);
}

}  // namespace

AuditRateLimit::Source::Source(Limit limit, const AuditEvent& event)
    : budget(limit.per_second, limit.burst) {
  who.tenant = event.tenant;
  who.uid = event.uid;
  who.gid = event.gid;
  who.pid = event.pid;
}

AuditEvent AuditRateLimit::suppression_line(const AuditEvent& source, uint64_t count) {
  AuditEvent line;
  line.tenant = source.tenant;
  line.uid = source.uid;
  line.gid = source.gid;
  line.pid = source.pid;
  line.operation = "audit.suppressed";
  line.rule = source.tenant.empty() ? "audit.rate_limit.uid" : "audit.rate_limit.tenant";
  line.suppressed = count;
  return line;
}

AuditRateLimit::Source& AuditRateLimit::source_for(const AuditEvent& event, Clock::time_point now) {
  const std::string key = source_key(event);
  auto found = sources_.find(key);
  if (found == sources_.end()) {
    if (sources_.size() >= kMaxSources) forget_idle(now);
    if (sources_.size() >= kMaxSources) {
      // Every remembered source is busy: new ones share one budget rather than grow the map.
      if (!overflow_) overflow_ = std::make_unique<Source>(kPerUnknownUid, event);
      overflow_->last_used = now;
      return *overflow_;
    }
    const Limit limit = event.tenant.empty() ? kPerUnknownUid : kPerTenant;
    found = sources_.emplace(key, std::make_unique<Source>(limit, event)).first;
  }
  Source& source = *found->second;
  source.last_used = now;
  return source;
}

void AuditRateLimit::forget_idle(Clock::time_point now) {
  std::erase_if(sources_, [now](const auto& entry) {
    return entry.second->suppressed == 0 && now - entry.second->last_used > kIdleAfter;
  });
}

void AuditRateLimit::report_due(std::vector<AuditEvent>& lines, Clock::time_point now) {
  if (now - last_report_check_ < std::chrono::seconds(1)) return;
  last_report_check_ = now;
  for (auto& [key, source] : sources_) {
    if (source->suppressed != 0 && source->budget.try_take(now)) {
      lines.push_back(suppression_line(source->who, source->suppressed));
      source->suppressed = 0;
    }
  }
  if (overflow_ && overflow_->suppressed != 0 && overflow_->budget.try_take(now)) {
    lines.push_back(suppression_line(overflow_->who, overflow_->suppressed));
    overflow_->suppressed = 0;
  }
}

bool AuditRateLimit::admit(const AuditEvent& event, std::vector<AuditEvent>& suppression_lines,
                           Clock::time_point now) {
  Source& source = source_for(event, now);
  source.who.pid = event.pid;
  const bool allowed = source.budget.try_take(now);
  if (!allowed) {
    ++source.suppressed;
    ++dropped_;
  }
  report_due(suppression_lines, now);
  return allowed;
}

std::vector<AuditEvent> AuditRateLimit::drain() {
  std::vector<AuditEvent> lines;
  for (auto& [key, source] : sources_) {
    if (source->suppressed != 0) {
      lines.push_back(suppression_line(source->who, source->suppressed));
      source->suppressed = 0;
    }
  }
  if (overflow_ && overflow_->suppressed != 0) {
    lines.push_back(suppression_line(overflow_->who, overflow_->suppressed));
    overflow_->suppressed = 0;
  }
  return lines;
}

}  // namespace wasi_socketd::audit
