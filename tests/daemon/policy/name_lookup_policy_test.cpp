// Name-lookup rules end to end with the real daemon: the allow list (names and IP literals) and
// `connect_resolved`, which makes the addresses of a permitted lookup connectable for that
// session only.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

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
constexpr auto kIpv4 = v1::IP_ADDRESS_FAMILY_IPV4;

TEST(NameLookupPolicy, AllowListAndResolvedAddressesBecomeConnectableForThatSessionOnly) {
  if (::geteuid() != 0) GTEST_SKIP() << "runs its client in a forked child as root";
  testing::TempDirectory dir;
  const std::string policy = dir.write("p.toml", R"([audit]
destination = "none"
[[tenant]]
name = "web"
[tenant.tcp]
[[tenant.tcp.bind]]
addresses = ["unspecified"]
ports = [0]
[tenant.name_lookup]
allow = ["localhost"]
ip_literals = false
connect_resolved = true
)");
  DaemonProcess daemon({"--policy", policy});
  EXPECT_EQ(run_as(0, 0,
                   [&] {
                     const testing::LoopbackListener listener;
                     const uint16_t port = listener.port();

                     TestClient client(daemon.target());
                     if (client.tcp_connect_loopback(kIpv4, port) != v1::ERROR_CODE_ACCESS_DENIED) {
                       return child_failure(1, "connect allowed before any lookup");
                     }
                     if (client.resolve("example.org").lookup_error() !=
                         v1::ERROR_CODE_PERMANENT_RESOLVER_FAILURE) {
                       return child_failure(2, "a name off the allow list was resolved");
                     }
                     if (client.resolve("127.0.0.1").lookup_error() !=
                         v1::ERROR_CODE_PERMANENT_RESOLVER_FAILURE) {
                       return child_failure(3,
                                            "an IP literal was resolved with ip_literals = false");
                     }
                     const v1::ResolveAddressesResponse found = client.resolve("localhost");
                     if (found.addresses_size() == 0)
                       return child_failure(4, "localhost did not resolve");
                     if (client.tcp_connect_loopback(kIpv4, port) != v1::ERROR_CODE_UNSPECIFIED) {
                       return child_failure(5, "resolved address not connectable");
                     }
                     TestClient other(daemon.target());
                     if (other.tcp_connect_loopback(kIpv4, port) != v1::ERROR_CODE_ACCESS_DENIED) {
                       return child_failure(6, "another session inherited the resolved address");
                     }
                     return 0;
                   }),
            0);
}

}  // namespace
}  // namespace wasi_socketd::policy
