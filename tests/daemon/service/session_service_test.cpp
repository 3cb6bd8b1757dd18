// Session.Attach against the real daemon: the opening frame, one stream per session, and the
// end of the stream ending the session.
#include <gtest/gtest.h>

#include "daemon_process.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

TEST(SessionService, AttachOpensWithTheSessionsNetworkAndLimits) {
  DaemonProcess daemon;
  TestClient client(daemon.target());
  ASSERT_TRUE(client.attach());
  const v1::SessionOpened& opened = client.opened();
  EXPECT_EQ(opened.protocol_version(), 1u);
  EXPECT_EQ(opened.network_id(), client.network_id());
  EXPECT_NE(opened.network_id(), 0u);
  EXPECT_EQ(opened.tenant(), "default");
  EXPECT_TRUE(opened.capabilities().tcp());
  EXPECT_TRUE(opened.capabilities().udp());
  EXPECT_TRUE(opened.capabilities().name_lookup());
  EXPECT_EQ(opened.limits().max_datagram_size(), 65535u);
  EXPECT_EQ(opened.limits().max_datagrams_per_call(), 1024u);
  EXPECT_EQ(opened.limits().max_name_length(), 255u);
  EXPECT_EQ(opened.limits().max_tcp_write_item(), 1u << 20);
}

TEST(SessionService, SecondAttachOnTheSameConnectionFailsAndLeavesTheFirstAlone) {
  DaemonProcess daemon;
  TestClient client(daemon.target());
  ASSERT_TRUE(client.attach());

  auto stub = v1::Session::NewStub(client.channel());
  grpc::ClientContext context;
  auto second = stub->Attach(&context);
  v1::ServerFrame frame;
  EXPECT_FALSE(second->Read(&frame));
  EXPECT_EQ(second->Finish().error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // The first stream still carries events: a TCP connect reports CONNECT readiness on it.
  std::uint32_t port = 0;
  client.tcp_listener(v1::IP_ADDRESS_FAMILY_IPV4, &port);
  std::uint64_t socket = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
  EXPECT_TRUE(
      client.tcp_start_connect_until_ready(socket, loopback(v1::IP_ADDRESS_FAMILY_IPV4, port)));
}

TEST(SessionService, ClosingTheStreamEndsTheSession) {
  DaemonProcess daemon;
  TestClient client(daemon.target());
  ASSERT_TRUE(client.attach());
  std::uint64_t socket = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
  ASSERT_NE(socket, 0u);
  EXPECT_TRUE(client.detach().ok());

  grpc::Status status;
  v1::TcpSocketRequest request;
  request.set_socket_id(socket);
  client.call(client.tcp(), &v1::Tcp::Stub::LocalAddress, request, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(SessionService, ReattachingAfterTheSessionEndedFails) {
  DaemonProcess daemon;
  TestClient client(daemon.target());
  ASSERT_TRUE(client.attach());
  EXPECT_TRUE(client.detach().ok());
  auto stub = v1::Session::NewStub(client.channel());
  grpc::ClientContext context;
  auto again = stub->Attach(&context);
  v1::ServerFrame frame;
  EXPECT_FALSE(again->Read(&frame));
  EXPECT_EQ(again->Finish().error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace wasi_socketd::testing
