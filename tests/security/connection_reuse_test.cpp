// Attack area: a new connection that inherits a closed connection's fd number (issue 10 item 4;
// docs/ARCHITECTURE.md "A session is its connection"). The daemon hands each accepted fd to gRPC,
// whose calls name their connection only as "fd:N", and the kernel gives N to the next connection
// as soon as it is free. Whatever a new connection sends, it must never reach the sockets of the
// session that had its number before. (The registry-level proof, with the number reused for
// certain, is SessionRegistry.ACallOnANewConnectionWithAReusedFdNumberNeverFindsTheOldSession.)
#include <gtest/gtest.h>

#include <cstdint>

#include "daemon_process.h"
#include "test_client.h"

namespace wasi_socketd::security {
namespace {

using testing::DaemonProcess;
using testing::TestClient;

constexpr int kRounds = 20;

TEST(ConnectionReuse, ANewConnectionNeverReachesTheSocketsOfTheOneBeforeIt) {
  DaemonProcess daemon;
  for (int round = 0; round < kRounds; ++round) {
    std::uint64_t old_socket = 0;
    {
      TestClient old_client(daemon.target());
      ASSERT_TRUE(old_client.attach());
      std::uint32_t port = 0;
      old_socket = old_client.tcp_listener(v1::IP_ADDRESS_FAMILY_IPV4, &port);
      ASSERT_NE(old_socket, 0u);
    }  // the connection closes; its fd number is free for the next one
    TestClient new_client(daemon.target());
    ASSERT_TRUE(new_client.attach());
    v1::TcpSocketRequest request;
    request.set_socket_id(old_socket);
    grpc::Status status;
    const v1::SocketAddressResponse answer =
        new_client.call(new_client.tcp(), &v1::Tcp::Stub::LocalAddress, request, &status);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(answer.error(), v1::ERROR_CODE_INVALID_ARGUMENT)
        << "round " << round << ": the new connection reached the old session's listener";
    EXPECT_FALSE(answer.has_address());
  }
}

}  // namespace
}  // namespace wasi_socketd::security
