#include "policy/tenant_usage.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "policy/usage_registry.h"

namespace wasi_socketd::policy {
namespace {

Quotas small() {
  Quotas quotas;
  quotas.sockets = 2;
  quotas.sessions = 1;
  quotas.buffered_bytes = 100;
  quotas.connections_per_second = 2;
  return quotas;
}

TEST(TenantUsage, SocketQuotaExhaustsAndLeasesGiveBack) {
  auto usage = std::make_shared<TenantUsage>(small());
  auto first = usage->try_open_socket();
  auto second = usage->try_open_socket();
  EXPECT_TRUE(first);
  EXPECT_TRUE(second);
  EXPECT_FALSE(usage->try_open_socket());
  first = {};  // the socket closed
  EXPECT_EQ(usage->open_sockets(), 1u);
  EXPECT_TRUE(usage->try_open_socket());
}

TEST(TenantUsage, SessionQuota) {
  auto usage = std::make_shared<TenantUsage>(small());
  auto session = usage->try_open_session();
  EXPECT_TRUE(session);
  EXPECT_FALSE(usage->try_open_session());
  { auto moved = std::move(session); }
  EXPECT_EQ(usage->open_sessions(), 0u);
  EXPECT_TRUE(usage->try_open_session());
}

TEST(TenantUsage, BufferedBytesAreCountedInBytes) {
  auto usage = std::make_shared<TenantUsage>(small());
  auto sixty = usage->try_buffer(60);
  EXPECT_TRUE(sixty);
  EXPECT_FALSE(usage->try_buffer(41));
  auto forty = usage->try_buffer(40);
  EXPECT_TRUE(forty);
  EXPECT_EQ(usage->buffered_bytes(), 100u);
  EXPECT_FALSE(usage->try_buffer(1));
}

TEST(TenantUsage, BufferChargesFollowWhatIsBufferedAndMayOvershoot) {
  auto usage = std::make_shared<TenantUsage>(small());
  auto charge = usage->buffer_charge();
  EXPECT_TRUE(charge);
  EXPECT_EQ(usage->buffered_bytes(), 0u) << "an idle connection costs nothing";
  charge.resize(70);
  EXPECT_FALSE(usage->buffers_full());
  charge.resize(130);  // bytes already read cannot be refused: charged beyond the quota
  EXPECT_EQ(usage->buffered_bytes(), 130u);
  EXPECT_TRUE(usage->buffers_full());
  EXPECT_FALSE(usage->try_buffer(1));
  charge.resize(10);
  EXPECT_EQ(usage->buffered_bytes(), 10u);
  EXPECT_FALSE(usage->buffers_full());
  charge = {};
  EXPECT_EQ(usage->buffered_bytes(), 0u);
}

TEST(TenantUsage, ConnectionRateLimited) {
  auto usage = std::make_shared<TenantUsage>(small());
  EXPECT_TRUE(usage->try_new_connection());
  EXPECT_TRUE(usage->try_new_connection());
  EXPECT_FALSE(usage->try_new_connection());
}

TEST(TenantUsage, LoweredQuotaKeepsWhatIsHeldButRefusesMore) {
  auto usage = std::make_shared<TenantUsage>(small());
  auto a = usage->try_open_socket();
  auto b = usage->try_open_socket();
  Quotas lower = small();
  lower.sockets = 1;
  usage->set_quotas(lower);
  EXPECT_EQ(usage->open_sockets(), 2u);
  a = {};
  EXPECT_FALSE(usage->try_open_socket());
  b = {};
  EXPECT_TRUE(usage->try_open_socket());
}

TEST(TenantUsage, ConcurrentAcquisitionsNeverExceedTheQuota) {
  Quotas quotas;
  quotas.sockets = 1000;
  auto usage = std::make_shared<TenantUsage>(quotas);
  std::vector<std::vector<TenantUsage::Lease>> held(4);
  std::vector<std::thread> threads;
  for (auto& mine : held) {
    threads.emplace_back([&usage, &mine] {
      for (int i = 0; i < 600; ++i) {
        if (auto lease = usage->try_open_socket()) mine.push_back(std::move(lease));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::size_t total = 0;
  for (const auto& mine : held) total += mine.size();
  EXPECT_EQ(total, 1000u);
  EXPECT_EQ(usage->open_sockets(), 1000u);
  held.clear();
  EXPECT_EQ(usage->open_sockets(), 0u);
}

TEST(UsageRegistry, OneUsagePerTenantNameFollowingTheNewQuotas) {
  UsageRegistry registry;
  Tenant tenant;
  tenant.name = "t";
  tenant.quotas = small();
  auto usage = registry.usage_for(tenant);
  auto lease = usage->try_open_socket();
  tenant.quotas.sockets = 1;
  EXPECT_EQ(registry.usage_for(tenant), usage);
  EXPECT_FALSE(usage->try_open_socket());
  Tenant other;
  other.name = "u";
  EXPECT_NE(registry.usage_for(other), usage);
}

}  // namespace
}  // namespace wasi_socketd::policy
