// Readiness versions and the coalescing of outgoing items into frames.
#include <gtest/gtest.h>

#include "session/outbox.h"
#include "session/readiness_state.h"

namespace wasi_socketd::daemon {
namespace {

TEST(ReadinessState, VersionGrowsOnlyWhenTheLevelChanges) {
  ReadinessState state;
  auto first = state.set(7, v1::READINESS_KIND_ACCEPT, false);
  EXPECT_TRUE(first.changed);
  auto same = state.set(7, v1::READINESS_KIND_ACCEPT, false);
  EXPECT_FALSE(same.changed);
  EXPECT_EQ(same.level.version, first.level.version);
  auto up = state.set(7, v1::READINESS_KIND_ACCEPT, true);
  EXPECT_TRUE(up.changed);
  EXPECT_GT(up.level.version, first.level.version);
  EXPECT_TRUE(state.get(7, v1::READINESS_KIND_ACCEPT).ready);
}

TEST(ReadinessState, KindsAndResourcesAreIndependentAndForgettable) {
  ReadinessState state;
  state.set(1, v1::READINESS_KIND_CONNECT, true);
  state.set(1, v1::READINESS_KIND_ACCEPT, true);
  state.set(2, v1::READINESS_KIND_RECEIVE, true);
  EXPECT_EQ(state.snapshot().size(), 3u);
  state.forget(1);
  EXPECT_EQ(state.snapshot().size(), 1u);
  EXPECT_FALSE(state.get(1, v1::READINESS_KIND_CONNECT).ready);
  EXPECT_EQ(state.get(1, v1::READINESS_KIND_CONNECT).version, 0u);
}

v1::ServerItem data_item(std::size_t bytes) {
  v1::ServerItem item;
  item.mutable_tcp_data()->set_socket_id(1);
  item.mutable_tcp_data()->set_data(std::string(bytes, 'd'));
  return item;
}

TEST(Outbox, CoalescesItemsUpToTheFrameLimit) {
  Outbox outbox;
  for (int i = 0; i < 10; ++i) {
    outbox.push(data_item(1000));
  }
  v1::ServerFrame frame;
  outbox.fill(frame, 4500);
  EXPECT_EQ(frame.items_size(), 4);
  EXPECT_LE(frame.ByteSizeLong(), 4500u);
  v1::ServerFrame rest;
  outbox.fill(rest, 1 << 20);
  EXPECT_EQ(rest.items_size(), 6);
  EXPECT_TRUE(outbox.empty());
  EXPECT_EQ(outbox.queued_bytes(), 0u);
}

TEST(Outbox, AnItemLargerThanTheLimitTravelsAlone) {
  Outbox outbox;
  outbox.push(data_item(10000));
  outbox.push(data_item(10));
  v1::ServerFrame frame;
  outbox.fill(frame, 4096);
  EXPECT_EQ(frame.items_size(), 1);
  EXPECT_EQ(frame.items(0).tcp_data().data().size(), 10000u);
}

}  // namespace
}  // namespace wasi_socketd::daemon
