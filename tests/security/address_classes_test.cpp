// Attack area: address classes (issue 13 item 4). A tenant whose rules allow `any` reaches for the
// cloud metadata service: directly, in IPv4-mapped and IPv4-compatible IPv6 spellings, and through
// a name whose answer points there (DNS rebinding). The address is real: this process enters its
// own network namespace with 169.254.169.254 on its loopback and a listener there, so an allowed
// connect really connects, and its own mount namespace with a hosts file naming
// imds.test → 169.254.169.254 bind-mounted over /etc/hosts. The daemon it starts inherits both.
// Report mode (item 3) is checked on the same address: a report-mode tenant connects and the
// audit line says would-deny. Needs root; skips otherwise.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "daemon_process.h"
#include "temp_directory.h"
#include "test_client.h"

namespace wasi_socketd::security {
namespace {

using testing::DaemonProcess;
using testing::TempDirectory;
using testing::TestClient;
namespace v1 = wasi_socketd::v1;

constexpr std::uint16_t kMetadataPort = 8775;

v1::IpSocketAddress socket_address(const char* text, std::uint32_t port) {
  v1::IpSocketAddress address;
  unsigned char octets[16] = {};
  const bool v4 = ::inet_pton(AF_INET, text, octets) == 1;
  if (!v4) {
    EXPECT_EQ(::inet_pton(AF_INET6, text, octets), 1) << text;
  }
  address.mutable_address()->set_family(v4 ? v1::IP_ADDRESS_FAMILY_IPV4
                                           : v1::IP_ADDRESS_FAMILY_IPV6);
  address.mutable_address()->set_octets(std::string(reinterpret_cast<char*>(octets), v4 ? 4 : 16));
  address.set_port(port);
  return address;
}

// Rules that allow every address for every TCP and UDP use, and every name.
constexpr const char* kAnyRules = R"(
[tenant.tcp]
[[tenant.tcp.bind]]
addresses = ["any"]
[[tenant.tcp.listen]]
addresses = ["any"]
[[tenant.tcp.accept]]
addresses = ["any"]
[[tenant.tcp.connect]]
addresses = ["any"]
[tenant.udp]
[[tenant.udp.bind]]
addresses = ["any"]
[[tenant.udp.send]]
addresses = ["any"]
[tenant.name_lookup]
allow = ["*"]
connect_resolved = true
)";

class AddressClasses : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (network and mount namespaces)";
    if (::unshare(CLONE_NEWNS | CLONE_NEWNET) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      GTEST_SKIP() << "cannot enter private network and mount namespaces here";
    }
    if (std::system("ip link set lo up && ip addr add 169.254.169.254/32 dev lo") != 0) {
      GTEST_SKIP() << "cannot put 169.254.169.254 on the namespace's loopback";
    }
    const std::string hosts =
        dir_.write("hosts", "127.0.0.1 localhost\n::1 localhost\n169.254.169.254 imds.test\n");
    if (::mount(hosts.c_str(), "/etc/hosts", nullptr, MS_BIND, nullptr) != 0) {
      GTEST_SKIP() << "cannot bind-mount /etc/hosts";
    }
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(kMetadataPort);
    ::inet_pton(AF_INET, "169.254.169.254", &address.sin_addr);
    ASSERT_EQ(::bind(listener_, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(listener_, 8), 0);
  }
  void TearDown() override {
    if (listener_ >= 0) ::close(listener_);
  }

  // A daemon whose tenant "strict" (main socket) has kAnyRules plus `extra`, and whose tenant
  // "learn" (socket learn.sock) has the same rules in report mode.
  std::unique_ptr<DaemonProcess> start_daemon(const std::string& extra = "") {
    const std::string policy = dir_.write(
        "p.toml", "[audit]\ndestination = \"" + audit_path() +
                      "\"\n[[listener]]\nname = \"learn\"\npath = \"" + dir_.file("learn.sock") +
                      "\"\n[[tenant]]\nname = \"strict\"\n" + kAnyRules + extra +
                      "[[tenant]]\nname = \"learn\"\nlisteners = [\"learn\"]\nmode = "
                      "\"report\"\n" +
                      kAnyRules);
    return std::make_unique<DaemonProcess>(std::vector<std::string>{"--policy", policy});
  }
  std::string audit_path() const { return dir_.file("audit.log"); }

  // Whether the audit log has a line with every fragment, waiting up to 5 s for the writer.
  bool audited(const std::vector<std::string>& fragments) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    do {
      std::ifstream in(audit_path());
      for (std::string line; std::getline(in, line);) {
        bool all = true;
        for (const std::string& fragment : fragments)
          all = all && line.find(fragment) != std::string::npos;
        if (all) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
  }

  // Whether a connection reached the metadata listener within `wait` (accepted and closed).
  bool metadata_reached(std::chrono::milliseconds wait) {
    pollfd ready{listener_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(wait.count())) != 1) return false;
    const int accepted = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (accepted < 0) return false;
    ::close(accepted);
    return true;
  }

  TempDirectory dir_;
  int listener_ = -1;
};

TEST_F(AddressClasses, ConnectToMetadataUnderAnAnyRuleIsAccessDenied) {
  auto daemon = start_daemon();
  TestClient client(daemon->target());
  const std::uint64_t socket = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
  ASSERT_NE(socket, 0u);
  EXPECT_EQ(client.tcp_start_connect(socket, socket_address("169.254.169.254", kMetadataPort)),
            v1::ERROR_CODE_ACCESS_DENIED);
  EXPECT_FALSE(metadata_reached(std::chrono::milliseconds(300)));
  // Binding to the protected address (it is local here) is refused the same way.
  const std::uint64_t server = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
  EXPECT_EQ(client.tcp_bind(server, socket_address("169.254.169.254", 0)),
            v1::ERROR_CODE_ACCESS_DENIED);
  EXPECT_TRUE(audited({"\"operation\":\"tcp.bind\"", "\"address\":\"169.254.169.254:0\"",
                       "\"rule\":\"protected.metadata\""}));
  EXPECT_TRUE(audited({"\"tenant\":\"strict\"", "\"operation\":\"tcp.connect\"",
                       "\"address\":\"169.254.169.254:8775\"", "\"rule\":\"protected.metadata\"",
                       "\"outcome\":\"deny\""}));
}

// A UDP socket bound to the wildcard, its stream pair opened unconnected: (socket, generation).
std::pair<std::uint64_t, std::uint64_t> open_udp(TestClient& client) {
  const std::uint64_t socket = client.create_udp(v1::IP_ADDRESS_FAMILY_IPV4);
  v1::UdpStartBindRequest bind;
  bind.set_socket_id(socket);
  bind.set_network_id(client.network_id());
  *bind.mutable_local_address() = socket_address("0.0.0.0", 0);
  EXPECT_EQ(client.call(client.udp(), &v1::Udp::Stub::StartBind, bind).error(),
            v1::ERROR_CODE_UNSPECIFIED);
  v1::UdpSocketRequest finish;
  finish.set_socket_id(socket);
  EXPECT_EQ(client.call(client.udp(), &v1::Udp::Stub::FinishBind, finish).error(),
            v1::ERROR_CODE_UNSPECIFIED);
  v1::UdpStreamRequest stream;
  stream.set_socket_id(socket);
  const auto opened = client.call(client.udp(), &v1::Udp::Stub::Stream, stream);
  EXPECT_EQ(opened.error(), v1::ERROR_CODE_UNSPECIFIED);
  return {socket, opened.stream_generation()};
}

v1::ErrorCode send_to(TestClient& client, std::pair<std::uint64_t, std::uint64_t> udp,
                      const char* ip, std::uint32_t port) {
  v1::UdpSendRequest request;
  request.set_socket_id(udp.first);
  request.set_stream_generation(udp.second);
  v1::OutgoingDatagram* datagram = request.add_datagrams();
  datagram->set_data("x");
  *datagram->mutable_remote_address() = socket_address(ip, port);
  return client.call(client.udp(), &v1::Udp::Stub::Send, request).error();
}

// A UDP socket of this process on `ip`:`port`; whether a datagram arrives within `wait`.
bool datagram_arrives(const char* ip, std::uint16_t port, const std::function<void()>& send) {
  const int receiver = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, ip, &address.sin_addr);
  EXPECT_EQ(::bind(receiver, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  send();
  pollfd ready{receiver, POLLIN, 0};
  const bool arrived = ::poll(&ready, 1, 500) == 1;
  ::close(receiver);
  return arrived;
}

TEST_F(AddressClasses, UdpSendAndStreamToMetadataUnderAnAnyRuleAreAccessDenied) {
  auto daemon = start_daemon();
  TestClient client(daemon->target());
  const auto udp = open_udp(client);
  // The path works: the same socket reaches loopback.
  EXPECT_TRUE(datagram_arrives("127.0.0.1", kMetadataPort, [&] {
    EXPECT_EQ(send_to(client, udp, "127.0.0.1", kMetadataPort), v1::ERROR_CODE_UNSPECIFIED);
  }));
  EXPECT_FALSE(datagram_arrives("169.254.169.254", kMetadataPort, [&] {
    EXPECT_EQ(send_to(client, udp, "169.254.169.254", kMetadataPort), v1::ERROR_CODE_ACCESS_DENIED);
  }));
  EXPECT_TRUE(audited({"\"operation\":\"udp.send\"", "\"address\":\"169.254.169.254:8775\"",
                       "\"rule\":\"protected.metadata\""}));
  v1::UdpStreamRequest stream;
  stream.set_socket_id(udp.first);
  *stream.mutable_remote_address() = socket_address("169.254.169.254", kMetadataPort);
  EXPECT_EQ(client.call(client.udp(), &v1::Udp::Stub::Stream, stream).error(),
            v1::ERROR_CODE_ACCESS_DENIED);
}

// A peer connecting from the metadata address (a source address this namespace has) is not a
// peer an `any` accept rule admits: it is reset, and the next connection is accepted.
TEST_F(AddressClasses, PeerFromMetadataAddressIsResetAtAccept) {
  auto daemon = start_daemon();
  TestClient client(daemon->target());
  std::uint32_t port = 0;
  const std::uint64_t listener = client.tcp_listener(v1::IP_ADDRESS_FAMILY_IPV4, &port);
  const auto connect_from = [&](const char* source) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &local.sin_addr);
    EXPECT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local), 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    EXPECT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to), 0) << source;
    return fd;
  };
  const int protected_peer = connect_from("169.254.169.254");
  const int loopback_peer = connect_from("127.0.0.1");
  v1::TcpSocketRequest request;
  request.set_socket_id(listener);
  v1::TcpAcceptResponse accepted;
  for (int i = 0; i < 500; ++i) {
    accepted = client.call(client.tcp(), &v1::Tcp::Stub::Accept, request);
    if (accepted.error() != v1::ERROR_CODE_WOULD_BLOCK) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(accepted.error(), v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_EQ(accepted.remote_address().address().octets(), std::string("\x7f\x00\x00\x01", 4));
  char byte = 0;
  EXPECT_EQ(::recv(protected_peer, &byte, 1, 0), -1);
  EXPECT_EQ(errno, ECONNRESET);
  EXPECT_TRUE(audited({"\"operation\":\"tcp.accept\"",
                       "\"address\":\"169.254.169.254:", "\"rule\":\"protected.metadata\""}));
  ::close(protected_peer);
  ::close(loopback_peer);
}

// The socket core already refuses both spellings on an IPv6 socket (invalid-argument, before the
// policy is asked); the policy matches them as IPv4 as well (session_policy_test).
TEST_F(AddressClasses, Ipv4MappedAndCompatibleSpellingsAreRefused) {
  auto daemon = start_daemon();
  TestClient client(daemon->target());
  for (const char* spelling : {"::ffff:169.254.169.254", "::169.254.169.254"}) {
    const std::uint64_t socket = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV6);
    ASSERT_NE(socket, 0u);
    const v1::ErrorCode error =
        client.tcp_start_connect(socket, socket_address(spelling, kMetadataPort));
    EXPECT_EQ(error, v1::ERROR_CODE_INVALID_ARGUMENT) << spelling;
  }
  EXPECT_FALSE(metadata_reached(std::chrono::milliseconds(300)));
}

TEST_F(AddressClasses, ConnectIsAllowedWhenARuleNamesMetadata) {
  auto daemon =
      start_daemon("[[tenant.tcp.connect]]\naddresses = [\"metadata\"]\nports = [8775]\n");
  TestClient client(daemon->target());
  const std::uint64_t socket = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
  ASSERT_NE(socket, 0u);
  EXPECT_EQ(client.tcp_connect_polling(socket, socket_address("169.254.169.254", kMetadataPort)),
            v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_TRUE(metadata_reached(std::chrono::seconds(5)));
  // The naming rule also lets the lookup answer through.
  const v1::ResolveAddressesResponse answer = client.resolve("imds.test");
  EXPECT_EQ(answer.lookup_error(), v1::ERROR_CODE_UNSPECIFIED);
  ASSERT_EQ(answer.addresses_size(), 1);
  EXPECT_EQ(answer.addresses(0).octets(), std::string("\xa9\xfe\xa9\xfe", 4));
}

// DNS rebinding: a name the tenant may resolve answers with the metadata address. The answer
// loses it (here: nothing is left, so the lookup fails) and connect_resolved lends nothing.
TEST_F(AddressClasses, NameResolvingToMetadataIsRefused) {
  auto daemon = start_daemon();
  TestClient client(daemon->target());
  const v1::ResolveAddressesResponse answer = client.resolve("imds.test");
  EXPECT_EQ(answer.lookup_error(), v1::ERROR_CODE_PERMANENT_RESOLVER_FAILURE);
  EXPECT_EQ(answer.addresses_size(), 0);
  EXPECT_TRUE(audited({"\"operation\":\"name_lookup\"", "\"address\":\"169.254.169.254\"",
                       "\"name\":\"imds.test\"", "\"rule\":\"protected.metadata\""}));
  const v1::ResolveAddressesResponse literal = client.resolve("169.254.169.254");
  EXPECT_EQ(literal.lookup_error(), v1::ERROR_CODE_PERMANENT_RESOLVER_FAILURE);
  const std::uint64_t socket = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
  ASSERT_NE(socket, 0u);
  EXPECT_EQ(client.tcp_start_connect(socket, socket_address("169.254.169.254", kMetadataPort)),
            v1::ERROR_CODE_ACCESS_DENIED);
  EXPECT_FALSE(metadata_reached(std::chrono::milliseconds(300)));
}

// Report mode lifts a tenant's own rules, never the protection of the metadata class: a tenant
// put in report mode to learn its policy still cannot reach the cloud's credentials, neither by
// address nor through a name.
TEST_F(AddressClasses, ReportModeTenantIsStillDeniedTheMetadataAddress) {
  auto daemon = start_daemon();
  TestClient learn("unix:" + dir_.file("learn.sock"));
  const std::uint64_t socket = learn.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
  ASSERT_NE(socket, 0u);
  EXPECT_EQ(learn.tcp_start_connect(socket, socket_address("169.254.169.254", kMetadataPort)),
            v1::ERROR_CODE_ACCESS_DENIED);
  EXPECT_FALSE(metadata_reached(std::chrono::milliseconds(300)));
  EXPECT_TRUE(audited({"\"tenant\":\"learn\"", "\"operation\":\"tcp.connect\"",
                       "\"address\":\"169.254.169.254:8775\"", "\"rule\":\"protected.metadata\"",
                       "\"outcome\":\"deny\""}));
  const v1::ResolveAddressesResponse answer = learn.resolve("imds.test");
  EXPECT_EQ(answer.addresses_size(), 0);
  EXPECT_TRUE(audited({"\"tenant\":\"learn\"", "\"name\":\"imds.test\"",
                       "\"rule\":\"protected.metadata\"", "\"outcome\":\"deny\""}));
}

}  // namespace
}  // namespace wasi_socketd::security
