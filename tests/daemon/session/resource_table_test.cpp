// Resource ids and the per-session table: never 0, never reused, typed lookups, the quota.
#include "session/resource_table.h"

#include <gtest/gtest.h>

#include <set>

namespace wasi_socketd::daemon {
namespace {

struct Closeable : SessionResource {
  explicit Closeable(int* closed) : closed_(closed) {}
  void close() override { ++*closed_; }
  ResourceSummary summary() const override { return {}; }
  int* closed_;
};
struct OtherKind : SessionResource {
  void close() override {}
  ResourceSummary summary() const override { return {}; }
};

TEST(ResourceIds, AreNeverZeroAndNeverRepeat) {
  ResourceIds ids;
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 10000; ++i) {
    std::uint64_t id = ids.next();
    EXPECT_NE(id, 0u);
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(ResourceIds, StartAtADifferentPlacePerSession) {
  std::set<std::uint64_t> starts;
  for (int i = 0; i < 32; ++i) {
    starts.insert(ResourceIds().next());
  }
  EXPECT_GT(starts.size(), 30u);  // random 62-bit starts: a collision is practically impossible
}

TEST(ResourceTable, LookupsAreTyped) {
  int closed = 0;
  ResourceTable table(8);
  std::uint64_t id = *table.new_socket_id();
  table.insert(id, std::make_unique<Closeable>(&closed));
  EXPECT_NE(table.find<Closeable>(id), nullptr);
  EXPECT_EQ(table.find<OtherKind>(id), nullptr);
  EXPECT_EQ(table.find<Closeable>(id + 1), nullptr);
}

TEST(ResourceTable, QuotaCountsLiveResources) {
  int closed = 0;
  ResourceTable table(2);
  std::uint64_t first = *table.new_socket_id();
  table.insert(first, std::make_unique<Closeable>(&closed));
  table.insert(*table.new_socket_id(), std::make_unique<Closeable>(&closed));
  EXPECT_FALSE(table.new_socket_id());
  EXPECT_NE(table.take(first), nullptr);
  EXPECT_TRUE(table.new_socket_id());
}

TEST(ResourceTable, CloseAllClosesEachResourceOnce) {
  int closed = 0;
  ResourceTable table(8);
  for (int i = 0; i < 3; ++i) {
    table.insert(*table.new_socket_id(), std::make_unique<Closeable>(&closed));
  }
  table.close_all();
  EXPECT_EQ(closed, 3);
  EXPECT_EQ(table.size(), 0u);
}

}  // namespace
}  // namespace wasi_socketd::daemon
