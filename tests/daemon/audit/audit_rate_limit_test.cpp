// The audit rate limit: one budget per tenant and one per unknown uid (not per session), and
// counted suppression lines once a source may write again.
#include "audit/audit_rate_limit.h"

#include <gtest/gtest.h>

#include <vector>

namespace wasi_socketd::audit {
namespace {

using Clock = AuditRateLimit::Clock;

AuditEvent from_uid(uint32_t uid) {
  AuditEvent event;
  event.uid = uid;
  event.operation = "session.open";
  event.rule = "unknown-peer";
  return event;
}

AuditEvent from_tenant(const std::string& tenant, int32_t pid) {
  AuditEvent event;
  event.tenant = tenant;
  event.uid = 1000;
  event.pid = pid;
  event.operation = "udp.send";
  return event;
}

// How many of `count` events of `event` get through at `now`.
uint64_t written(AuditRateLimit& limit, const AuditEvent& event, uint64_t count,
                 Clock::time_point now, std::vector<AuditEvent>& suppression_lines) {
  uint64_t through = 0;
  for (uint64_t i = 0; i < count; ++i) through += limit.admit(event, suppression_lines, now);
  return through;
}

TEST(AuditRateLimit, AnUnknownUidFloodIsCutAtItsBurstAndCounted) {
  AuditRateLimit limit;
  std::vector<AuditEvent> lines;
  const auto start = Clock::now();
  constexpr uint64_t kBurst = AuditRateLimit::kPerUnknownUid.burst;
  EXPECT_EQ(written(limit, from_uid(7), kBurst + 5000, start, lines), kBurst);
  EXPECT_TRUE(lines.empty());
  EXPECT_EQ(limit.dropped(), 5000u);
  // Another uid has its own budget.
  EXPECT_EQ(written(limit, from_uid(8), 1, start, lines), 1u);

  // A second later uid 7 may write again: first the count of what it lost.
  EXPECT_TRUE(limit.admit(from_uid(7), lines, start + std::chrono::seconds(1)));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].operation, "audit.suppressed");
  EXPECT_EQ(lines[0].uid, 7u);
  EXPECT_EQ(lines[0].suppressed, 5000u);
}

// Sessions of one tenant (here: different pids) share the tenant's budget.
TEST(AuditRateLimit, EverySessionOfATenantDrawsOnOneBudget) {
  AuditRateLimit limit;
  std::vector<AuditEvent> lines;
  const auto start = Clock::now();
  constexpr uint64_t kBurst = AuditRateLimit::kPerTenant.burst;
  uint64_t through = 0;
  for (int32_t session = 0; session < 10; ++session) {
    through += written(limit, from_tenant("web", 100 + session), kBurst / 2, start, lines);
  }
  EXPECT_EQ(through, kBurst);
  EXPECT_EQ(written(limit, from_tenant("db", 1), 1, start, lines), 1u);
}

// A source that flooded and went quiet still gets its count reported, by the next line of anyone.
TEST(AuditRateLimit, AQuietSourcesCountIsReportedWithOtherLines) {
  AuditRateLimit limit;
  std::vector<AuditEvent> lines;
  const auto start = Clock::now();
  written(limit, from_uid(7), AuditRateLimit::kPerUnknownUid.burst + 3, start, lines);
  lines.clear();
  EXPECT_TRUE(limit.admit(from_tenant("web", 1), lines, start + std::chrono::seconds(2)));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].uid, 7u);
  EXPECT_EQ(lines[0].suppressed, 3u);
  EXPECT_TRUE(limit.drain().empty());
}

TEST(AuditRateLimit, PendingCountsAreDrainedAtShutdown) {
  AuditRateLimit limit;
  std::vector<AuditEvent> lines;
  written(limit, from_uid(9), AuditRateLimit::kPerUnknownUid.burst + 2, Clock::now(), lines);
  const auto pending = limit.drain();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].suppressed, 2u);
}

}  // namespace
}  // namespace wasi_socketd::audit
