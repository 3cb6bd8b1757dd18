// The real daemon under a policy file, used by real processes of other uids (children that
// drop privileges): two tenants on their own listening sockets, isolation and quotas between
// them, a privileged-port grant, a network namespace. Needs root; skips otherwise.
// Every gRPC call happens in a child process (gRPC is not fork-safe once started).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "daemon_process.h"
#include "loopback_listener.h"
#include "run_as.h"
#include "temp_directory.h"
#include "test_client.h"

namespace wasi_socketd::policy {
namespace {

using testing::DaemonProcess;
using testing::TestClient;
namespace v1 = wasi_socketd::v1;

constexpr uid_t kTenantA = 61001;
constexpr uid_t kTenantB = 61002;
constexpr uid_t kGranted = 61003;
constexpr uid_t kNotGranted = 61004;
constexpr uid_t kJailed = 61005;
constexpr uid_t kFree = 61006;
constexpr uid_t kLimited = 61007;
constexpr auto kIpv4 = v1::IP_ADDRESS_FAMILY_IPV4;

bool wait_for_file(const std::string& path) {
  for (int i = 0; i < 300 && !std::filesystem::exists(path); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::filesystem::exists(path);
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Failing checks in a child: say why on stderr, exit with a code the parent reports.
// start-connect + finish-connect until it stops saying would-block.
class TenancyIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to run clients as other uids";
  }

  // The daemon on `policy`, its main socket reachable by any uid.
  std::unique_ptr<DaemonProcess> start_daemon(const std::string& policy) {
    auto daemon = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"--policy", policy, "--socket-mode", "0666"});
    ::chmod(std::filesystem::path(daemon->socket_path()).parent_path().c_str(), 0755);
    return daemon;
  }

  testing::TempDirectory dir_;
};

TEST_F(TenancyIntegration, TwoTenantsOnTheirOwnSocketsAreIsolatedAndQuotaBoundIndependently) {
  const std::string a_sock = dir_.file("a.sock");
  const std::string b_sock = dir_.file("b.sock");
  const std::string audit = dir_.file("audit.log");
  std::string tenants;
  for (const auto& [name, uid] : {std::pair{"a", kTenantA}, std::pair{"b", kTenantB}}) {
    tenants += "[[listener]]\nname = \"" + std::string(name) + "\"\npath = \"" +
               dir_.file(std::string(name) + ".sock") +
               "\"\nmode = 0o600\nowner = " + std::to_string(uid) +
               "\ngroup = " + std::to_string(uid) + "\n";
  }
  for (const auto& [name, uid] : {std::pair{"a", kTenantA}, std::pair{"b", kTenantB}}) {
    tenants += "[[tenant]]\nname = \"" + std::string(name) + "\"\nuids = [" + std::to_string(uid) +
               "]\nlisteners = [\"" + name +
               "\"]\n[tenant.quotas]\nsockets = 3\n[tenant.tcp]\n"
               "[[tenant.tcp.bind]]\naddresses = [\"loopback\"]\n";
  }
  const std::string policy =
      dir_.write("policy.toml", "[audit]\ndestination = \"" + audit + "\"\n" + tenants);
  auto daemon = start_daemon(policy);
  ASSERT_TRUE(wait_for_file(a_sock) && wait_for_file(b_sock));
  EXPECT_EQ(std::filesystem::status(a_sock).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  // Tenant a exhausts its quota and holds it, while b works normally.
  int to_a[2], from_a[2];
  ASSERT_EQ(::pipe(to_a), 0);
  ASSERT_EQ(::pipe(from_a), 0);
  std::thread a([&] {
    const int code = run_as(kTenantA, kTenantA, [&] {
      TestClient client("unix:" + a_sock);
      if (!client.attach() || client.opened().tenant() != "a")
        return child_failure(10, "not tenant a");
      std::uint64_t first = 0;
      for (int i = 0; i < 3; ++i) {
        const std::uint64_t id = client.create_tcp(kIpv4);
        if (id == 0) return child_failure(11, "socket within the quota refused");
        if (first == 0) first = id;
      }
      v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED;
      if (client.create_tcp(kIpv4, &error) != 0 || error != v1::ERROR_CODE_NEW_SOCKET_LIMIT) {
        return child_failure(12, "fourth socket not new-socket-limit");
      }
      (void)::write(from_a[1], &first, sizeof first);  // exhausted; here is one of my ids
      char go = 0;
      (void)::read(to_a[0], &go, 1);  // hold everything until b is done
      return 0;
    });
    EXPECT_EQ(code, 0) << "tenant a";
  });
  std::uint64_t a_socket = 0;
  ASSERT_EQ(::read(from_a[0], &a_socket, sizeof a_socket), static_cast<ssize_t>(sizeof a_socket));

  EXPECT_EQ(
      run_as(
          kTenantB, kTenantB,
          [&] {
            TestClient client("unix:" + b_sock);
            if (!client.attach() || client.opened().tenant() != "b")
              return child_failure(20, "not tenant b");
            for (int i = 0; i < 3; ++i) {
              if (client.create_tcp(kIpv4) == 0) return child_failure(21, "b starved by a's quota");
            }
            // a's socket id means nothing here.
            v1::TcpSocketRequest request;
            request.set_socket_id(a_socket);
            grpc::Status status;
            const auto error =
                client.call(client.tcp(), &v1::Tcp::Stub::LocalAddress, request, &status).error();
            if (error != v1::ERROR_CODE_INVALID_ARGUMENT)
              return child_failure(22, "a's id usable in b");
            return 0;
          }),
      0);
  (void)::write(to_a[1], "g", 1);
  a.join();

  // a's uid cannot even open b's socket (its mode), and root, who can, is no tenant of b.
  EXPECT_EQ(run_as(kTenantA, kTenantA,
                   [&] {
                     const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
                     sockaddr_un address{};
                     address.sun_family = AF_UNIX;
                     std::snprintf(address.sun_path, sizeof address.sun_path, "%s", b_sock.c_str());
                     const bool refused = ::connect(fd, reinterpret_cast<sockaddr*>(&address),
                                                    sizeof address) != 0 &&
                                          errno == EACCES;
                     return refused ? 0 : child_failure(30, "a could open b's socket");
                   }),
            0);
  EXPECT_EQ(run_as(0, 0,
                   [&] {
                     TestClient client("unix:" + b_sock);
                     return client.attach() ? child_failure(31, "root admitted as tenant b") : 0;
                   }),
            0);
  const std::string log = read_all(audit);
  EXPECT_NE(log.find("\"tenant\":\"a\",\"uid\":61001"), std::string::npos) << log;
  EXPECT_NE(log.find("\"rule\":\"quota.sockets\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"uid\":0,\"gid\":0"), std::string::npos) << log;
  EXPECT_NE(log.find("\"operation\":\"session.open\",\"name\":\"b\",\"rule\":\"unknown-peer\""),
            std::string::npos)
      << log;
}

// A port below 1024 that nothing on this host uses right now.
uint16_t free_privileged_port() {
  for (uint16_t port = 900; port < 1000; ++port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    if (free) return port;
  }
  return 0;
}

TEST_F(TenancyIntegration, PrivilegedPortOnlyWhereThePolicyLendsIt) {
  const uint16_t port = free_privileged_port();
  ASSERT_NE(port, 0);
  const std::string rules =
      "[tenant.tcp]\n[[tenant.tcp.bind]]\naddresses = [\"127.0.0.1\"]\nports = [" +
      std::to_string(port) + "]\n";
  const std::string policy = dir_.write(
      "policy.toml", "[[tenant]]\nname = \"granted\"\nuids = [" + std::to_string(kGranted) + "]\n" +
                         rules + "privileged = true\n[[tenant]]\nname = \"plain\"\nuids = [" +
                         std::to_string(kNotGranted) + "]\n" + rules);
  auto daemon = start_daemon(policy);
  const auto bind_through_daemon = [&](uid_t uid) {
    return run_as(uid, uid, [&] {
      TestClient client(daemon->target());
      const std::uint64_t socket = client.create_tcp(kIpv4);
      if (socket == 0) return child_failure(40, "no socket");
      const v1::ErrorCode error = client.tcp_bind(socket, testing::loopback(kIpv4, port));
      if (error == v1::ERROR_CODE_UNSPECIFIED) return 0;
      return error == v1::ERROR_CODE_ACCESS_DENIED ? 1 : child_failure(41, "unexpected bind error");
    });
  };
  EXPECT_EQ(bind_through_daemon(kGranted), 0);
  EXPECT_EQ(bind_through_daemon(kNotGranted), 1);
  // The grant is the daemon's to give: the same uid binding by itself is refused by the kernel
  // (unless this host lets anyone bind low ports).
  if (read_all("/proc/sys/net/ipv4/ip_unprivileged_port_start").find("1024") == 0) {
    EXPECT_EQ(
        run_as(kGranted, kGranted,
               [&] {
                 const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
                 sockaddr_in address{};
                 address.sin_family = AF_INET;
                 address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                 address.sin_port = htons(port);
                 return ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 &&
                                errno == EACCES
                            ? 0
                            : child_failure(42, "kernel let an unprivileged uid bind a low port");
               }),
        0);
  }
}

TEST_F(TenancyIntegration, TenantSocketsLiveInItsNetworkNamespace) {
  const std::string netns = "wsd-it-" + std::to_string(::getpid());
  if (std::system(("ip netns add " + netns + " 2>/dev/null").c_str()) != 0) {
    GTEST_SKIP() << "`ip netns add` is not permitted here";
  }
  std::system(("ip netns exec " + netns + " ip link set lo up").c_str());
  // A listener on this host's loopback, outside the namespace.
  testing::LoopbackListener listener;
  const uint16_t port = listener.port();

  const std::string rules =
      "[tenant.tcp]\n[[tenant.tcp.bind]]\naddresses = [\"loopback\", \"unspecified\"]\n"
      "[[tenant.tcp.connect]]\naddresses = [\"loopback\"]\n";
  const std::string policy = dir_.write(
      "policy.toml", "[[tenant]]\nname = \"jailed\"\nuids = [" + std::to_string(kJailed) +
                         "]\nnetwork_namespace = \"/run/netns/" + netns + "\"\n" + rules +
                         "[[tenant]]\nname = \"free\"\nuids = [" + std::to_string(kFree) + "]\n" +
                         rules);
  {
    auto daemon = start_daemon(policy);
    const auto connect_as = [&](uid_t uid) {
      return run_as(uid, uid, [&] {
        TestClient client(daemon->target());
        const std::uint64_t socket = client.create_tcp(kIpv4);
        if (socket == 0) return child_failure(50, "no socket");
        const v1::ErrorCode error =
            client.tcp_connect_polling(socket, testing::loopback(kIpv4, port));
        if (error == v1::ERROR_CODE_UNSPECIFIED) return 0;
        return error == v1::ERROR_CODE_CONNECTION_REFUSED
                   ? 1
                   : child_failure(51, "unexpected connect error");
      });
    };
    EXPECT_EQ(connect_as(kFree), 0);    // the host's loopback: our listener answers
    EXPECT_EQ(connect_as(kJailed), 1);  // the namespace's own loopback: nobody listens there
  }
  std::system(("ip netns delete " + netns).c_str());
}

TEST_F(TenancyIntegration, ConnectionRateQuotaAnswersWouldBlock) {
  testing::LoopbackListener listener;
  const uint16_t port = listener.port();
  const std::string policy = dir_.write(
      "policy.toml",
      "[[tenant]]\nname = \"limited\"\nuids = [" + std::to_string(kLimited) +
          "]\n[tenant.quotas]\nconnections_per_second = 1\nconnections_burst = 1\n"
          "[tenant.tcp]\n[[tenant.tcp.bind]]\naddresses = [\"unspecified\"]\nports = [0]\n"
          "[[tenant.tcp.connect]]\naddresses = [\"loopback\"]\n");
  auto daemon = start_daemon(policy);
  EXPECT_EQ(run_as(kLimited, kLimited,
                   [&] {
                     TestClient client(daemon->target());
                     const std::uint64_t first = client.create_tcp(kIpv4);
                     const std::uint64_t second = client.create_tcp(kIpv4);
                     if (client.tcp_connect_polling(first, testing::loopback(kIpv4, port)) !=
                         v1::ERROR_CODE_UNSPECIFIED) {
                       return child_failure(60, "first connection refused");
                     }
                     if (client.tcp_connect_polling(second, testing::loopback(kIpv4, port)) !=
                         v1::ERROR_CODE_WOULD_BLOCK) {
                       return child_failure(
                           61, "second connection within the same second not would-block");
                     }
                     return 0;
                   }),
            0);
}

}  // namespace
}  // namespace wasi_socketd::policy
