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

v1::ServerItem write_ack(std::uint64_t socket, std::uint64_t bytes) {
  v1::ServerItem item;
  item.mutable_write_ack()->set_socket_id(socket);
  item.mutable_write_ack()->set_bytes(bytes);
  return item;
}

// A client that never reads its stream while writing one byte at a time must not grow the outbox
// by one ack per write: acks of a socket merge while one is queued.
TEST(Outbox, AcknowledgementsOfOneSocketMergeWhileQueued) {
  Outbox outbox;
  for (int i = 0; i < 10000; ++i) {
    outbox.push(write_ack(3, 1));
    outbox.push(write_ack(4, 2));
  }
  EXPECT_EQ(outbox.queued_items(), 2u);
  EXPECT_LT(outbox.queued_bytes(), 64u);
  v1::ServerFrame frame;
  outbox.fill(frame, 1 << 20);
  ASSERT_EQ(frame.items_size(), 2);
  EXPECT_EQ(frame.items(0).write_ack().socket_id(), 3u);
  EXPECT_EQ(frame.items(0).write_ack().bytes(), 10000u);
  EXPECT_EQ(frame.items(1).write_ack().bytes(), 20000u);
  EXPECT_EQ(outbox.queued_bytes(), 0u);
}

// Once an ack has left for the stream, a later one is queued anew, behind what came since.
TEST(Outbox, AnAckSentIsNotMergedInto) {
  Outbox outbox;
  outbox.push(write_ack(3, 1));
  v1::ServerFrame first;
  outbox.fill(first, 1 << 20);
  v1::ServerItem data;
  data.mutable_tcp_data()->set_socket_id(3);
  data.mutable_tcp_data()->set_data("x");
  outbox.push(data);
  outbox.push(write_ack(3, 5));
  outbox.push(write_ack(3, 6));
  v1::ServerFrame second;
  outbox.fill(second, 1 << 20);
  ASSERT_EQ(second.items_size(), 2);
  EXPECT_TRUE(second.items(0).has_tcp_data());
  EXPECT_EQ(second.items(1).write_ack().bytes(), 11u);
}

}  // namespace
}  // namespace wasi_socketd::daemon
