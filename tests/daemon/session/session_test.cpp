// Session bookkeeping without a network: attaching, readiness events and snapshots, frames one
// at a time, and the end of a session.
#include "session/session.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/strand.hpp>

#include "session/session_limits.h"
#include "session/session_registry.h"
#include "sockets/socket_policy.h"
#include "wasi_socketd/limits.h"

namespace wasi_socketd::daemon {
namespace {

// These tests never touch a socket: any tenant with a name will do.
TenantAccess test_tenant(std::string name) {
  TenantAccess tenant;
  tenant.name = std::move(name);
  tenant.policy = std::make_shared<sockets::AllowAllPolicy>();
  return tenant;
}

class RecordingSink : public FrameSink {
 public:
  void write(v1::ServerFrame frame) override { frames.push_back(std::move(frame)); }
  void resume_reading() override { ++resumed; }
  void finish() override { ++finished; }
  std::vector<v1::ServerFrame> frames;
  int finished = 0;
  int resumed = 0;
};

class SessionTest : public ::testing::Test {
 protected:
  boost::asio::io_context io_;
  std::shared_ptr<Session> session_ = std::make_shared<Session>(
      sockets::make_strand(io_, sockets::SequenceCheck::idle_from_outside), test_tenant("test"),
      PeerCredentials{1, 2, 3});
  RecordingSink sink_;
};

TEST_F(SessionTest, AttachSendsOpenedAndTheReadinessSnapshot) {
  session_->set_readiness(5, v1::READINESS_KIND_ACCEPT, true);
  ASSERT_TRUE(session_->attach(sink_));
  ASSERT_EQ(sink_.frames.size(), 1u);
  const v1::ServerFrame& frame = sink_.frames[0];
  ASSERT_EQ(frame.items_size(), 2);
  EXPECT_EQ(frame.items(0).opened().network_id(), session_->network_id());
  EXPECT_EQ(frame.items(0).opened().tenant(), "test");
  EXPECT_EQ(frame.items(1).readiness().resource_id(), 5u);
  EXPECT_TRUE(frame.items(1).readiness().ready());
}

TEST_F(SessionTest, DataQueuedBeforeAttachFollowsTheOpening) {
  v1::ServerItem data;
  data.mutable_tcp_data()->set_socket_id(4);
  data.mutable_tcp_data()->set_data("early");
  session_->push(data);
  ASSERT_TRUE(session_->attach(sink_));
  ASSERT_EQ(sink_.frames.size(), 1u);
  ASSERT_EQ(sink_.frames[0].items_size(), 2);
  EXPECT_TRUE(sink_.frames[0].items(0).has_opened());
  EXPECT_EQ(sink_.frames[0].items(1).tcp_data().data(), "early");
}

TEST_F(SessionTest, OnlyOneAttachEver) {
  RecordingSink other;
  EXPECT_TRUE(session_->attach(sink_));
  EXPECT_FALSE(session_->attach(other));
  session_->detach(sink_);
  EXPECT_FALSE(session_->attach(other));
}

TEST_F(SessionTest, OneFrameInFlightAndChangesOnly) {
  ASSERT_TRUE(session_->attach(sink_));
  session_->set_readiness(9, v1::READINESS_KIND_RECEIVE, true);
  session_->set_readiness(9, v1::READINESS_KIND_RECEIVE, true);  // no change: no event
  session_->set_readiness(9, v1::READINESS_KIND_RECEIVE, false);
  EXPECT_EQ(sink_.frames.size(), 1u);  // the opening frame is still being written
  session_->frame_written();
  ASSERT_EQ(sink_.frames.size(), 2u);
  ASSERT_EQ(sink_.frames[1].items_size(), 2);  // coalesced
  EXPECT_LT(sink_.frames[1].items(0).readiness().version(),
            sink_.frames[1].items(1).readiness().version());
  EXPECT_FALSE(sink_.frames[1].items(1).readiness().ready());
}

TEST_F(SessionTest, EndFinishesTheStreamAndEmptiesTheSession) {
  ASSERT_TRUE(session_->attach(sink_));
  session_->end();
  session_->end();
  EXPECT_EQ(sink_.finished, 1);
  EXPECT_TRUE(session_->ended());
  EXPECT_EQ(session_->resources().size(), 0u);
  session_->set_readiness(1, v1::READINESS_KIND_CONNECT, true);
  session_->frame_written();
  EXPECT_EQ(sink_.frames.size(), 1u);  // nothing is written after the end
}

TEST(SessionRegistry, ANewConnectionOnAReusedFdReplacesTheOldSession) {
  boost::asio::io_context io;
  SessionRegistry registry;
  auto make = [&] {
    return std::make_shared<Session>(
        sockets::make_strand(io, sockets::SequenceCheck::idle_from_outside), test_tenant("t"),
        PeerCredentials{});
  };
  auto old_session = make();
  auto new_session = make();
  EXPECT_EQ(registry.bind(7, old_session), nullptr);
  EXPECT_EQ(registry.bind(7, new_session), old_session);
  registry.unbind(7, *old_session);  // the old connection's late hang-up
  EXPECT_EQ(registry.find(7), new_session);
  registry.unbind(7, *new_session);
  EXPECT_EQ(registry.find(7), nullptr);
}

// The session is its connection, not its fd number: once gRPC has closed the old connection's fd
// and the kernel has given the number to a new connection, a call that comes with that number
// finds no session at all, even before the old connection's hang-up was noticed (main's registry,
// keyed by the string "fd:N" alone, answered the old session here).
TEST(SessionRegistry, ACallOnANewConnectionWithAReusedFdNumberNeverFindsTheOldSession) {
  boost::asio::io_context io;
  SessionRegistry registry;
  int old_pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, old_pair), 0);
  const int number = old_pair[0];  // what gRPC got, and what its calls report as "fd:N"
  auto old_session = std::make_shared<Session>(
      sockets::make_strand(io, sockets::SequenceCheck::idle_from_outside), test_tenant("old"),
      PeerCredentials{}, ClientConnection::duplicate(number));
  registry.bind(number, old_session);
  EXPECT_EQ(registry.find(*connection_number("fd:" + std::to_string(number))), old_session);

  ::close(old_pair[0]);  // gRPC closes the old connection's fd: the number is free
  EXPECT_EQ(registry.find(number), nullptr) << "a closed connection's number still finds it";
  int new_pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, new_pair), 0);
  ASSERT_EQ(::dup2(new_pair[0], number), number);  // the kernel hands the number out again
  ::close(new_pair[0]);
  EXPECT_EQ(registry.find(number), nullptr) << "a new connection reached the old session";

  auto new_session = std::make_shared<Session>(
      sockets::make_strand(io, sockets::SequenceCheck::idle_from_outside), test_tenant("new"),
      PeerCredentials{}, ClientConnection::duplicate(number));
  EXPECT_EQ(registry.bind(number, new_session), old_session);
  EXPECT_EQ(registry.find(number), new_session);
  for (const int fd : {number, old_pair[1], new_pair[1]}) ::close(fd);
}

TEST(SessionRegistry, OnlyGrpcFdPeersNameAConnection) {
  EXPECT_EQ(connection_number("fd:12"), 12);
  EXPECT_EQ(connection_number("unix:"), std::nullopt);
  EXPECT_EQ(connection_number("fd:"), std::nullopt);
  EXPECT_EQ(connection_number("fd:12x"), std::nullopt);
  EXPECT_EQ(connection_number("fd:-1"), std::nullopt);
}

v1::ServerItem bulk(std::uint64_t socket, std::size_t bytes) {
  v1::ServerItem item;
  item.mutable_tcp_data()->set_socket_id(socket);
  item.mutable_tcp_data()->set_data(std::string(bytes, 'x'));
  return item;
}

// Past the soft bound the stream stops reading; it is told to resume once half has drained.
TEST_F(SessionTest, ABackloggedSessionHoldsReadingUntilTheBacklogDrains) {
  ASSERT_TRUE(session_->attach(sink_));  // the opening frame is now being written
  EXPECT_FALSE(session_->backlogged());
  for (std::size_t queued = 0; queued <= kEventBacklogSoftBytes; queued += kMaxTcpChunk) {
    session_->push(bulk(4, kMaxTcpChunk));
  }
  EXPECT_TRUE(session_->backlogged());
  while (session_->queued_bytes() > kEventBacklogSoftBytes / 2) {
    EXPECT_EQ(sink_.resumed, 0);
    session_->frame_written();
  }
  EXPECT_EQ(sink_.resumed, 1);
  EXPECT_FALSE(session_->backlogged());
}

// Past the hard cap the client is not reading at all: the session ends and drops its backlog.
TEST_F(SessionTest, PastTheHardCapTheSessionEnds) {
  ASSERT_TRUE(session_->attach(sink_));
  for (std::size_t queued = 0; queued <= kEventBacklogHardBytes; queued += kMaxTcpChunk) {
    session_->push(bulk(4, kMaxTcpChunk));
  }
  io_.run();  // the end is posted to the strand
  EXPECT_TRUE(session_->ended());
  EXPECT_EQ(sink_.finished, 1);
  EXPECT_EQ(session_->queued_bytes(), 0u);
}

}  // namespace
}  // namespace wasi_socketd::daemon
