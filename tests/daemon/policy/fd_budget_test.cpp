#include "policy/fd_budget.h"

#include <gtest/gtest.h>

#include "policy/quotas.h"

namespace wasi_socketd::policy {
namespace {

TEST(FdBudget, ATenantAtItsDefaultsLeavesTheReserve) {
  for (std::uint64_t limit : {256u, 1024u, 20000u, 1048576u}) {
    const FdBudget budget = FdBudget::for_limit(limit);
    EXPECT_GE(budget.reserve, 64u) << limit;
    EXPECT_GE(budget.reserve, limit / 8) << limit;
    // Every socket and every session is one daemon fd.
    EXPECT_LE(budget.tenant_sockets + budget.tenant_sessions + budget.reserve, limit) << limit;
    EXPECT_LE(budget.sockets_per_session, budget.tenant_sockets) << limit;
    EXPECT_GT(budget.tenant_sockets, limit / 2) << limit;
  }
}

TEST(FdBudget, TinyLimitsStillLeaveTheReserve) {
  const FdBudget budget = FdBudget::for_limit(32);
  EXPECT_EQ(budget.reserve, 32u);
  EXPECT_EQ(budget.tenant_sockets, 0u);
}

TEST(FdBudget, QuotaDefaultsFollowTheProcessLimit) {
  set_process_fd_limit(4096);
  const Quotas quotas;
  const FdBudget budget = FdBudget::for_limit(4096);
  EXPECT_EQ(quotas.sockets, budget.tenant_sockets);
  EXPECT_EQ(quotas.sockets_per_session, budget.sockets_per_session);
  EXPECT_EQ(quotas.sessions, budget.tenant_sessions);
  set_process_fd_limit(0);
}

}  // namespace
}  // namespace wasi_socketd::policy
