// Mirror and TcpStreamState: how pushed frames become local state (no broker needed).
#include "wasi_socketd/client/mirror.h"

#include <gtest/gtest.h>

namespace wasi_socketd::client {
namespace {

v1::ServerItem readiness(std::uint64_t id, v1::ReadinessKind kind, bool ready,
                         std::uint64_t version) {
  v1::ServerItem item;
  auto* r = item.mutable_readiness();
  r->set_resource_id(id);
  r->set_kind(kind);
  r->set_ready(ready);
  r->set_version(version);
  return item;
}

TEST(MirrorTest, OlderReadinessVersionNeverOverridesNewer) {
  Mirror m;
  m.apply(readiness(7, v1::READINESS_KIND_ACCEPT, true, 5));
  m.update_readiness(7, ReadinessKind::kAccept, false, 4);  // a stale response
  EXPECT_TRUE(m.ready(7, ReadinessKind::kAccept));
  m.update_readiness(7, ReadinessKind::kAccept, false, 6);
  EXPECT_FALSE(m.ready(7, ReadinessKind::kAccept));
  EXPECT_FALSE(m.ready(7, ReadinessKind::kConnect));
}

TEST(MirrorTest, DataAndEndArriveForForgottenSocketAreIgnored) {
  Mirror m;
  m.forget(3);
  v1::ServerItem data;
  data.mutable_tcp_data()->set_socket_id(3);
  data.mutable_tcp_data()->set_data("abc");
  m.apply(data);
  EXPECT_EQ(m.find_tcp(3), nullptr);
  m.apply(readiness(3, v1::READINESS_KIND_CONNECT, true, 1));
  EXPECT_FALSE(m.ready(3, ReadinessKind::kConnect));
}

TEST(MirrorTest, ASocketChurningGuestDoesNotGrowTheMirror) {
  Mirror m;
  const std::uint64_t churn = 3 * Mirror::kRememberedDrops;
  for (std::uint64_t id = 1; id <= churn; ++id) {
    m.apply(readiness(id, v1::READINESS_KIND_CONNECT, true, 1));
    m.forget(id);
  }
  EXPECT_EQ(m.remembered_drops(), Mirror::kRememberedDrops);
  // The most recent drops are still remembered: their late frames are ignored.
  m.apply(readiness(churn, v1::READINESS_KIND_CONNECT, true, 2));
  EXPECT_FALSE(m.ready(churn, ReadinessKind::kConnect));
  EXPECT_EQ(m.find_tcp(churn), nullptr);
}

TEST(MirrorTest, ReadCreditIsBatchedByQuarterWindow) {
  TcpStreamState s;
  s.read_window = 400;
  s.read_buffer = std::string(300, 'x');
  std::uint8_t buf[300];
  EXPECT_EQ(s.consume(buf, 99), 99u);
  EXPECT_EQ(s.take_due_credit(), 0u);  // below a quarter window
  EXPECT_EQ(s.consume(buf, 1), 1u);
  EXPECT_EQ(s.take_due_credit(), 100u);
  EXPECT_EQ(s.take_due_credit(), 0u);
  EXPECT_EQ(s.buffered(), 200u);
}

TEST(MirrorTest, WriteRoomIsPermitMinusInFlightAndZeroWhileFlushing) {
  TcpStreamState s;
  s.write_permit = 1000;
  s.sent = 300;
  EXPECT_EQ(s.write_room(), 700u);
  s.flush_target = 300;
  EXPECT_EQ(s.write_room(), 0u);
  s.acked = 300;
  EXPECT_EQ(s.write_room(), 1000u);
  s.output_shut = true;
  EXPECT_EQ(s.write_room(), 0u);
}

TEST(MirrorTest, WriteAckNeverExceedsWhatWasSent) {
  Mirror m;
  TcpStreamState* s = m.tcp(9);
  s->write_permit = 10;
  s->sent = 4;
  v1::ServerItem ack;
  ack.mutable_write_ack()->set_socket_id(9);
  ack.mutable_write_ack()->set_bytes(100);
  m.apply(ack);
  EXPECT_EQ(m.tcp(9)->acked, 4u);
}

TEST(MirrorTest, StreamEndRecordsDirectionAndError) {
  Mirror m;
  v1::ServerItem end;
  end.mutable_stream_end()->set_socket_id(2);
  end.mutable_stream_end()->set_direction(v1::STREAM_DIRECTION_OUTPUT);
  end.mutable_stream_end()->set_error(v1::ERROR_CODE_CONNECTION_RESET);
  m.apply(end);
  const TcpStreamState* s = m.find_tcp(2);
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->output_ended);
  EXPECT_EQ(s->output_error, ErrorCode::kConnectionReset);
  EXPECT_FALSE(s->input_ended);
}

}  // namespace
}  // namespace wasi_socketd::client
