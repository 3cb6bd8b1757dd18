// Attack area: names. A hostile tenant against the real daemon's name-lookup allow list and its
// connect_resolved memory, with the raw gRPC stubs (the client library would refuse these names):
// a NUL byte that made the policy and the resolver see different names, an IP literal "lookup"
// that lent any address, and the URL standard's IPv4 spellings the policy did not recognise.
// Every gRPC call happens in a forked child (gRPC is not fork-safe once started); needs root.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "daemon_process.h"
#include "loopback_listener.h"
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
using namespace std::string_literals;
namespace v1 = wasi_socketd::v1;
constexpr auto kIpv4 = v1::IP_ADDRESS_FAMILY_IPV4;

class Names : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "runs its clients in forked children as root";
  }
  testing::TempDirectory dir_;
};

// issue 8 item 1: "localhost\0é.example.com" matched *.example.com while IDNA and getaddrinfo
// looked up "localhost"; the connect to 127.0.0.1 that followed then succeeded.
TEST_F(Names, ANulByteNeitherPassesTheAllowListNorReachesTheResolver) {
  const std::string policy = dir_.write("p.toml", R"([audit]
destination = "none"
[[tenant]]
name = "t"
[tenant.tcp]
[[tenant.tcp.bind]]
addresses = ["unspecified"]
ports = [0]
[tenant.name_lookup]
allow = ["*.example.com"]
ip_literals = false
connect_resolved = true
)");
  DaemonProcess daemon({"--policy", policy});
  EXPECT_EQ(run_as(0, 0,
                   [&] {
                     const testing::LoopbackListener listener;
                     TestClient client(daemon.target());
                     for (const std::string& name :
                          {"localhost\0\xc3\xa9.example.com"s, "localhost\0.example.com"s,
                           "secret.attacker.invalid\0\xc3\xa9.example.com"s,
                           "localhost\x01.example.com"s, "localhost\x7f.example.com"s}) {
                       const auto answer = client.resolve(name);
                       if (answer.error() != v1::ERROR_CODE_INVALID_ARGUMENT) {
                         return child_failure(1,
                                              "a name with a control character was not "
                                              "invalid-argument: " +
                                                  std::to_string(answer.addresses_size()) +
                                                  " addresses");
                       }
                     }
                     // Invalid UTF-8 in a proto3 string: protobuf refuses the request before
                     // the daemon's code sees it; either way nothing is looked up.
                     grpc::Status status;
                     const auto answer = client.resolve("localhost\xff.example.com"s, &status);
                     if (status.ok() && answer.error() != v1::ERROR_CODE_INVALID_ARGUMENT) {
                       return child_failure(4, "invalid UTF-8 was looked up");
                     }
                     if (client.resolve("localhost").lookup_error() !=
                         v1::ERROR_CODE_PERMANENT_RESOLVER_FAILURE) {
                       return child_failure(2, "localhost is not on the allow list");
                     }
                     if (client.tcp_connect_loopback(kIpv4, listener.port()) !=
                         v1::ERROR_CODE_ACCESS_DENIED) {
                       return child_failure(3, "127.0.0.1 became connectable");
                     }
                     return 0;
                   }),
            0);
}

// issue 8 item 2: a tenant allowed 127.0.0.0/8:7000-7999 resolved "127.0.0.1" and then connected
// to any port; connect_resolved named the literal "lookup" as the allowing rule.
TEST_F(Names, AnIpLiteralLookupLendsNoAddress) {
  const std::string policy = dir_.write("p.toml", R"([audit]
destination = "none"
[[tenant]]
name = "t"
[tenant.tcp]
[[tenant.tcp.bind]]
addresses = ["unspecified"]
ports = [0]
[[tenant.tcp.connect]]
addresses = ["127.0.0.0/8"]
ports = ["7000-7999"]
[tenant.udp]
[[tenant.udp.bind]]
addresses = ["unspecified"]
ports = [0]
[[tenant.udp.send]]
addresses = ["127.0.0.0/8"]
ports = ["7000-7999"]
[tenant.name_lookup]
allow = ["localhost"]
connect_resolved = true
)");
  DaemonProcess daemon({"--policy", policy});
  EXPECT_EQ(
      run_as(
          0, 0,
          [&] {
            const testing::LoopbackListener listener;  // an ephemeral port, not 7xxx
            TestClient client(daemon.target());
            for (const char* literal : {"127.0.0.1", "127.1", "0x7f.0.0.1", "::ffff:127.0.0.1"}) {
              if (client.resolve(literal).addresses_size() != 1) {
                return child_failure(1, std::string("literal did not resolve: ") + literal);
              }
            }
            if (client.tcp_connect_loopback(kIpv4, listener.port()) !=
                v1::ERROR_CODE_ACCESS_DENIED) {
              return child_failure(2, "a literal lookup lent 127.0.0.1 on a port the rules deny");
            }
            return 0;
          }),
      0);
}

// docs/policy.md: with ip_literals = true, "127.1" and "0x7f.0.0.1" resolve to themselves (they
// were denied: the policy did not see them as literals).
TEST_F(Names, UrlStandardIpv4SpellingsResolveToThemselves) {
  const std::string policy = dir_.write("p.toml", R"([audit]
destination = "none"
[[tenant]]
name = "t"
[tenant.name_lookup]
allow = ["localhost"]
ip_literals = true
)");
  DaemonProcess daemon({"--policy", policy});
  EXPECT_EQ(run_as(0, 0,
                   [&] {
                     TestClient client(daemon.target());
                     for (const char* spelling : {"127.1", "0x7f.0.0.1", "2130706433"}) {
                       const auto answer = client.resolve(spelling);
                       if (answer.addresses_size() != 1 ||
                           answer.addresses(0).octets() != "\x7f\x00\x00\x01"s) {
                         return child_failure(1, std::string("not 127.0.0.1: ") + spelling);
                       }
                     }
                     return 0;
                   }),
            0);
}

}  // namespace
}  // namespace wasi_socketd::security
