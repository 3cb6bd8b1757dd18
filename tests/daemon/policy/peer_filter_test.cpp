// Peer rules end to end, with the real daemon and real kernel peers on loopback: a connection
// from a peer the accept rules deny is reset and accept goes on with the next; a datagram from a
// source the receive rules deny is dropped. Both are audited. (127.0.0.2 is loopback too, so the
// denied peer differs from the allowed one only by the rule.)
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "daemon_process.h"
#include "run_as.h"
#include "temp_directory.h"
#include "test_client.h"

namespace wasi_socketd::policy {
namespace {

using testing::DaemonProcess;
using testing::TestClient;
namespace v1 = wasi_socketd::v1;
constexpr auto kIpv4 = v1::IP_ADDRESS_FAMILY_IPV4;

// A kernel socket of `type` bound to `ip`:0.
int bound_socket(int type, const char* ip) {
  const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  ::inet_pton(AF_INET, ip, &address.sin_addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  return fd;
}

sockaddr_in loopback_port(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class PeerFilter : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "runs its client in a forked child as root";
    audit_ = dir_.file("audit.log");
    const std::string policy = dir_.write("p.toml", "[audit]\ndestination = \"" + audit_ + R"("
[[tenant]]
name = "filtered"
[tenant.tcp]
[[tenant.tcp.bind]]
addresses = ["127.0.0.1"]
[[tenant.tcp.listen]]
addresses = ["127.0.0.1"]
[[tenant.tcp.accept]]
addresses = ["127.0.0.1"]
[tenant.udp]
[[tenant.udp.bind]]
addresses = ["127.0.0.1"]
[[tenant.udp.receive]]
addresses = ["127.0.0.1"]
)");
    daemon_ = std::make_unique<DaemonProcess>(std::vector<std::string>{"--policy", policy});
  }

  testing::TempDirectory dir_;
  std::string audit_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(PeerFilter, DeniedConnectionIsResetAndAcceptReturnsTheNextAllowedOne) {
  EXPECT_EQ(run_as(0, 0,
                   [&] {
                     TestClient client(daemon_->target());
                     std::uint32_t port = 0;
                     const std::uint64_t listener = client.tcp_listener(kIpv4, &port);
                     const sockaddr_in to = loopback_port(static_cast<uint16_t>(port));
                     const int denied = bound_socket(SOCK_STREAM, "127.0.0.2");
                     const int allowed = bound_socket(SOCK_STREAM, "127.0.0.1");
                     // Both handshakes complete in the kernel's backlog before the daemon looks.
                     ::connect(denied, reinterpret_cast<const sockaddr*>(&to), sizeof to);
                     ::connect(allowed, reinterpret_cast<const sockaddr*>(&to), sizeof to);
                     v1::TcpSocketRequest request;
                     request.set_socket_id(listener);
                     v1::TcpAcceptResponse accepted;
                     for (int i = 0; i < 500; ++i) {
                       accepted = client.call(client.tcp(), &v1::Tcp::Stub::Accept, request);
                       if (accepted.error() != v1::ERROR_CODE_WOULD_BLOCK) break;
                       std::this_thread::sleep_for(std::chrono::milliseconds(10));
                     }
                     if (accepted.error() != v1::ERROR_CODE_UNSPECIFIED)
                       return child_failure(1, "nothing accepted");
                     if (accepted.remote_address().address().octets() !=
                         std::string("\x7f\x00\x00\x01", 4)) {
                       return child_failure(2, "accepted the denied peer");
                     }
                     char byte = 0;
                     const ssize_t got = ::recv(denied, &byte, 1, 0);
                     if (got != -1 || errno != ECONNRESET)
                       return child_failure(3, "denied peer not reset");
                     return 0;
                   }),
            0);
  const std::string log = read_all(audit_);
  EXPECT_NE(log.find("\"operation\":\"tcp.accept\",\"address\":\"127.0.0.2:"), std::string::npos)
      << log;
}

TEST_F(PeerFilter, DeniedDatagramsAreDroppedAllowedOnesDelivered) {
  EXPECT_EQ(
      run_as(0, 0,
             [&] {
               TestClient client(daemon_->target());
               v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED;
               const std::uint64_t socket = client.create_udp(kIpv4, &error);
               v1::UdpStartBindRequest bind;
               bind.set_socket_id(socket);
               bind.set_network_id(client.network_id());
               *bind.mutable_local_address() = testing::loopback(kIpv4);
               v1::UdpSocketRequest self;
               self.set_socket_id(socket);
               if (client.call(client.udp(), &v1::Udp::Stub::StartBind, bind).error() != 0 ||
                   client.call(client.udp(), &v1::Udp::Stub::FinishBind, self).error() != 0) {
                 return child_failure(10, "udp bind failed");
               }
               const auto port =
                   client.call(client.udp(), &v1::Udp::Stub::LocalAddress, self).address().port();
               v1::UdpStreamRequest stream;
               stream.set_socket_id(socket);
               const auto generation =
                   client.call(client.udp(), &v1::Udp::Stub::Stream, stream).stream_generation();
               const sockaddr_in to = loopback_port(static_cast<uint16_t>(port));
               const int denied = bound_socket(SOCK_DGRAM, "127.0.0.2");
               const int allowed = bound_socket(SOCK_DGRAM, "127.0.0.1");
               ::sendto(denied, "no", 2, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
               ::sendto(allowed, "yes", 3, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
               v1::UdpReceiveRequest receive;
               receive.set_socket_id(socket);
               receive.set_stream_generation(generation);
               receive.set_max_results(10);
               std::string received;
               for (int i = 0; i < 200 && received.empty(); ++i) {
                 const v1::UdpReceiveResponse batch =
                     client.call(client.udp(), &v1::Udp::Stub::Receive, receive);
                 for (const auto& datagram : batch.datagrams()) received += datagram.data();
                 if (received.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
               }
               return received == "yes" ? 0 : child_failure(11, "wrong datagrams delivered");
             }),
      0);
  const std::string log = read_all(audit_);
  EXPECT_NE(log.find("\"operation\":\"udp.receive\",\"address\":\"127.0.0.2:"), std::string::npos)
      << log;
}

}  // namespace
}  // namespace wasi_socketd::policy
