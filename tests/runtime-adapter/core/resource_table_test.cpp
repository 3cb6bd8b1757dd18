// ResourceTable: typed handles, parent/child rules and traps (no broker needed).
#include "resource_table.h"

#include <gtest/gtest.h>

namespace wasi_socketd::adapter {
namespace {

PollableResource always_ready() {
  return PollableResource{[](const client::Mirror&) { return true; }, std::nullopt};
}

// Runs f and returns the trap message it raised ("" if none).
template <typename F>
std::string trap_of(F&& f) {
  try {
    f();
  } catch (const Trap& t) {
    return t.message;
  }
  return "";
}

TEST(ResourceTableTest, HandlesStartAtOneAndAreNeverReused) {
  ResourceTable table;
  const uint32_t first = table.push(NetworkResource{7});
  EXPECT_EQ(first, 1u);
  (void)table.remove(first);
  const uint32_t second = table.push(NetworkResource{7});
  EXPECT_NE(second, first);
  EXPECT_NE(trap_of([&] { table.get<NetworkResource>(first); }), "");
}

TEST(ResourceTableTest, WrongKindAndUnknownHandlesTrap) {
  ResourceTable table;
  const uint32_t network = table.push(NetworkResource{7});
  EXPECT_EQ(table.get<NetworkResource>(network).id, 7u);
  EXPECT_NE(trap_of([&] { table.get<PollableResource>(network); }).find("not a pollable"),
            std::string::npos);
  EXPECT_NE(trap_of([&] { table.get<NetworkResource>(0); }).find("unknown"), std::string::npos);
  EXPECT_NE(trap_of([&] { (void)table.remove(99); }), "");
}

TEST(ResourceTableTest, ParentWithLiveChildCannotBeDropped) {
  ResourceTable table;
  const uint32_t parent = table.push(ErrorResource{});
  const uint32_t child = table.push(always_ready(), parent);
  EXPECT_EQ(table.children(parent).count(child), 1u);
  EXPECT_NE(trap_of([&] { (void)table.remove(parent); }).find("child"), std::string::npos);
  EXPECT_TRUE(table.holds<ErrorResource>(parent));  // a refused drop changes nothing
  (void)table.remove(child);
  EXPECT_TRUE(table.children(parent).empty());
  EXPECT_EQ(trap_of([&] { (void)table.remove(parent); }), "");
}

TEST(ResourceTableTest, ChildOfUnknownParentTraps) {
  ResourceTable table;
  EXPECT_NE(trap_of([&] { table.push(always_ready(), 42); }), "");
}

TEST(ResourceTableTest, ClearDestroysChildrenBeforeParents) {
  ResourceTable table;
  const uint32_t root = table.push(ErrorResource{});
  const uint32_t mid = table.push(ErrorResource{}, root);
  table.push(always_ready(), mid);
  table.clear();
  EXPECT_FALSE(table.holds<ErrorResource>(root));
}

}  // namespace
}  // namespace wasi_socketd::adapter
