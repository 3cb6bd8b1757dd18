#include "policy/policy.h"

#include <gtest/gtest.h>

namespace wasi_socketd::policy {
namespace {

std::shared_ptr<Tenant> tenant(std::string name, std::vector<uid_t> uids, std::vector<gid_t> gids,
                               std::vector<std::string> listeners) {
  auto out = std::make_shared<Tenant>();
  out->name = std::move(name);
  out->uids = std::move(uids);
  out->gids = std::move(gids);
  out->listeners = std::move(listeners);
  return out;
}

TEST(TenantSelection, ByUidGidAndListener) {
  Policy policy;
  policy.tenants = {tenant("a", {1001}, {}, {"a"}), tenant("b", {}, {2000}, {"b"}),
                    tenant("main-users", {1001, 1002}, {}, {})};
  EXPECT_EQ(policy.select_tenant({1001, 5, 9, "a"})->name, "a");
  EXPECT_EQ(policy.select_tenant({3000, 2000, 9, "b"})->name, "b");
  EXPECT_EQ(policy.select_tenant({1001, 5, 9, "main"})->name, "main-users");
  // The right uid on the wrong socket, or the wrong uid on the right one: nobody.
  EXPECT_FALSE(policy.select_tenant({1002, 5, 9, "a"}));
  EXPECT_FALSE(policy.select_tenant({1001, 5, 9, "b"}));
  EXPECT_FALSE(policy.select_tenant({4000, 4000, 9, "main"}));
}

TEST(TenantSelection, FirstMatchInFileOrderWins) {
  Policy policy;
  policy.tenants = {tenant("specific", {1001}, {}, {}), tenant("anyone", {}, {}, {})};
  EXPECT_EQ(policy.select_tenant({1001, 0, 0, "main"})->name, "specific");
  EXPECT_EQ(policy.select_tenant({7, 0, 0, "main"})->name, "anyone");
}

TEST(TenantSelection, FindByName) {
  Policy policy;
  policy.tenants = {tenant("a", {}, {}, {})};
  EXPECT_TRUE(policy.find_tenant("a"));
  EXPECT_FALSE(policy.find_tenant("b"));
}

}  // namespace
}  // namespace wasi_socketd::policy
