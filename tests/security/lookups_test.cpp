// Attack area: lookups. A tenant floods the shared lookup pool with names its resolver never
// answers; another tenant's lookups must not wait behind them (issue 8 item 8: they took 38 s).
// The hostile resolver is real: this process enters a private mount namespace, binds a UDP socket
// on 127.0.0.1:53 that never replies, and bind-mounts a resolv.conf pointing there over
// /etc/resolv.conf; the daemon it starts inherits both. Two tenants, two real uids (forked
// children that drop privileges). Needs root; skips otherwise.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "policy/run_as.h"
#include "temp_directory.h"
#include "test_client.h"

namespace wasi_socketd::security {
namespace {

using policy::child_failure;
using policy::run_as;
using testing::DaemonProcess;
using testing::TempDirectory;
using testing::TestClient;
namespace v1 = wasi_socketd::v1;
using Clock = std::chrono::steady_clock;

constexpr uid_t kHostile = 61021;
constexpr uid_t kVictim = 61022;
constexpr int kHostileLookups = 40;

// resolve-addresses with the gRPC status and the answer's error (lookup_error if any).
struct Answer {
  bool rpc_ok = false;
  v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED;
  int addresses = 0;
  std::chrono::milliseconds took{};
};

Answer resolve(TestClient& client, std::uint64_t network, const std::string& name) {
  v1::ResolveAddressesRequest request;
  request.set_network_id(network);
  request.set_name(name);
  grpc::Status status;
  const auto start = Clock::now();
  const auto response =
      client.call(client.lookup(), &v1::IpNameLookup::Stub::ResolveAddresses, request, &status);
  Answer answer;
  answer.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  answer.rpc_ok = status.ok();
  answer.error =
      response.error() != v1::ERROR_CODE_UNSPECIFIED ? response.error() : response.lookup_error();
  answer.addresses = response.addresses_size();
  return answer;
}

class Lookups : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (mount namespace, other uids)";
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      GTEST_SKIP() << "cannot enter a private mount namespace here";
    }
    black_hole_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(53);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(black_hole_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      GTEST_SKIP() << "127.0.0.1:53 is taken: cannot stand in for a resolver that never answers";
    }
    const std::string conf =
        dir_.write("resolv.conf", "nameserver 127.0.0.1\noptions timeout:30 attempts:1\n");
    if (::mount(conf.c_str(), "/etc/resolv.conf", nullptr, MS_BIND, nullptr) != 0) {
      GTEST_SKIP() << "cannot bind-mount /etc/resolv.conf";
    }
  }
  void TearDown() override {
    if (black_hole_ >= 0) ::close(black_hole_);
  }

  testing::TempDirectory dir_;
  int black_hole_ = -1;
};

TEST_F(Lookups, OneTenantsStuckLookupsNeverDelayAnotherTenants) {
  const std::string policy =
      dir_.write("p.toml",
                 "[audit]\ndestination = \"none\"\n"
                 "[[tenant]]\nname = \"hostile\"\nuids = [" +
                     std::to_string(kHostile) +
                     "]\n[tenant.name_lookup]\nallow = [\"*\"]\n"
                     "[[tenant]]\nname = \"victim\"\nuids = [" +
                     std::to_string(kVictim) + "]\n[tenant.name_lookup]\nallow = [\"*\"]\n");
  DaemonProcess daemon({"--policy", policy, "--socket-mode", "0666"});
  ::chmod(std::filesystem::path(daemon.socket_path()).parent_path().c_str(), 0755);

  int started[2];
  ASSERT_EQ(::pipe(started), 0);
  std::thread hostile([&] {
    const int code = run_as(kHostile, kHostile, [&] {
      TestClient client(daemon.target());
      const std::uint64_t network = client.network_id();
      std::vector<Answer> answers(kHostileLookups);
      std::vector<std::thread> callers;
      for (int i = 0; i < kHostileLookups; ++i) {
        callers.emplace_back([&, i] {
          answers[i] = resolve(client, network, "stuck-" + std::to_string(i) + ".example.test");
        });
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      (void)::write(started[1], "x", 1);  // every lookup is in the daemon now
      for (std::thread& caller : callers) caller.join();
      int refused_at_once = 0;
      for (const Answer& answer : answers) {
        if (!answer.rpc_ok) return child_failure(10, "a stuck lookup's call failed (no deadline?)");
        if (answer.error != v1::ERROR_CODE_TEMPORARY_RESOLVER_FAILURE) {
          return child_failure(11, "a stuck lookup did not end in temporary-resolver-failure");
        }
        if (answer.took > std::chrono::seconds(8))
          return child_failure(12, "a lookup outlived its deadline");
        if (answer.took < std::chrono::seconds(1)) ++refused_at_once;
      }
      if (refused_at_once < kHostileLookups - 4) {
        return child_failure(13, "more than 4 lookups of one tenant ran at once: " +
                                     std::to_string(kHostileLookups - refused_at_once));
      }
      return 0;
    });
    EXPECT_EQ(code, 0) << "hostile tenant";
  });
  char go = 0;
  ASSERT_EQ(::read(started[0], &go, 1), 1);

  EXPECT_EQ(run_as(kVictim, kVictim,
                   [&] {
                     TestClient client(daemon.target());
                     const std::uint64_t network = client.network_id();
                     for (int i = 0; i < 3; ++i) {
                       const Answer answer = resolve(client, network, "localhost");
                       if (!answer.rpc_ok || answer.addresses == 0) {
                         return child_failure(20,
                                              "localhost did not resolve while another tenant's "
                                              "lookups were stuck");
                       }
                       if (answer.took > std::chrono::seconds(2)) {
                         return child_failure(21, "localhost took " +
                                                      std::to_string(answer.took.count()) +
                                                      " ms behind another tenant's stuck lookups");
                       }
                     }
                     return 0;
                   }),
            0);
  hostile.join();
  ::close(started[0]);
  ::close(started[1]);
}

}  // namespace
}  // namespace wasi_socketd::security
