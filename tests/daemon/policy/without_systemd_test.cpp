// docs/OPERATIONS.md "Running without systemd", followed as written: two tenants as two real
// users (created for the test), the policy taken from the doc itself, the daemon started with the
// doc's flags (--socket-group, --socket-mode, --pid-file, --metrics-http). Checks what the doc
// promises: the socket's group and mode, the pid file, that a denial's audit line names where the
// tenant was going (also when the implicit bind was what the policy refused), that the metrics
// carry the deciding rule, reload through the pid file, and the pid file gone after stop.
// Needs root (useradd, clients of other uids); skips otherwise.
#include <arpa/inet.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "daemon_process.h"
#include "http_get.h"
#include "run_as.h"
#include "temp_directory.h"
#include "test_client.h"

namespace wasi_socketd::policy {
namespace {

using testing::DaemonProcess;
using testing::TestClient;
namespace v1 = wasi_socketd::v1;

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool wait_until(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

// The policy block of the doc's section: the first ```toml fence after its heading.
std::string policy_from_the_doc() {
  const std::string doc = read_all(WASI_SOCKETD_SOURCE_DIR "/docs/OPERATIONS.md");
  const auto section = doc.find("## Running without systemd");
  const auto open = doc.find("```toml\n", section);
  const auto close = doc.find("```", open + 8);
  if (section == std::string::npos || open == std::string::npos || close == std::string::npos) {
    return "";
  }
  return doc.substr(open + 8, close - open - 8);
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// A loopback TCP port nothing listens on right now (bound and closed).
uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

int shell(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str());
}

// useradd, groupadd, usermod and userdel fail at once when another process holds the lock on
// /etc/passwd or /etc/group (other tests on the host create users too): try again for up to 5 s.
int account_command(const std::string& command) {
  int status = shell(command);
  for (int attempt = 0; status != 0 && attempt < 50; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = shell(command);
  }
  return status;
}

class WithoutSystemd : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to create users and run clients as them";
    if (shell("command -v useradd && command -v groupadd") != 0) {
      GTEST_SKIP() << "useradd/groupadd not installed";
    }
    const std::string suffix = std::to_string(::getpid() % 100000);
    group_ = "wsdcl" + suffix;
    web_ = "wsdweb" + suffix;
    fetcher_ = "wsdfetch" + suffix;
    // The doc's step 1, with names no host already uses.
    ASSERT_EQ(account_command("groupadd --system " + group_), 0);
    for (const std::string& user : {web_, fetcher_}) {
      ASSERT_EQ(account_command("useradd --system --no-create-home --home-dir /nonexistent --shell "
                                "/usr/sbin/nologin " +
                                user),
                0);
      ASSERT_EQ(account_command("usermod -aG " + group_ + " " + user), 0);
    }
  }

  void TearDown() override {
    for (const std::string& user : {web_, fetcher_}) {
      if (!user.empty()) account_command("userdel " + user);
    }
    if (!group_.empty()) account_command("groupdel " + group_);
  }

  static uid_t uid_of(const std::string& user) { return ::getpwnam(user.c_str())->pw_uid; }
  gid_t group_id() const { return ::getgrnam(group_.c_str())->gr_gid; }

  testing::TempDirectory dir_;
  std::string group_, web_, fetcher_;
};

TEST_F(WithoutSystemd, TwoTenantsAsTheDocSaysDenialsNameTheTargetAndMetricsTheRule) {
  // Step 2: the doc's policy, with this test's user names, a free port for 8080, and the audit
  // lines in a file rather than mixed into stderr.
  std::string policy = policy_from_the_doc();
  ASSERT_NE(policy.find("uids = [\"web\"]"), std::string::npos) << policy;
  ASSERT_NE(policy.find("uids = [\"fetcher\"]"), std::string::npos) << policy;
  replace_all(policy, "uids = [\"web\"]", "uids = [\"" + web_ + "\"]");
  replace_all(policy, "uids = [\"fetcher\"]", "uids = [\"" + fetcher_ + "\"]");
  const uint16_t port = free_port();
  replace_all(policy, "ports = [8080]", "ports = [" + std::to_string(port) + "]");
  const std::string audit = dir_.file("audit.log");
  const std::string policy_path =
      dir_.write("two-tenants.toml", "[audit]\ndestination = \"" + audit + "\"\n" + policy);

  // Step 3: the doc's flags (the socket in the fixture's temporary directory).
  const uint16_t metrics_port = free_port();
  const std::string pid_file = dir_.file("wasi-socketd.pid");
  auto daemon = std::make_unique<DaemonProcess>(std::vector<std::string>{
      "--policy", policy_path, "--socket-group", group_, "--socket-mode", "0660", "--pid-file",
      pid_file, "--metrics-http", "127.0.0.1:" + std::to_string(metrics_port)});
  const std::string socket = daemon->socket_path();
  ::chmod(std::filesystem::path(socket).parent_path().c_str(), 0755);

  struct stat status {};
  ASSERT_EQ(::stat(socket.c_str(), &status), 0);
  EXPECT_EQ(status.st_gid, group_id());
  EXPECT_EQ(status.st_mode & 07777, 0660u);
  ASSERT_TRUE(wait_until([&] { return std::filesystem::exists(pid_file); }));
  EXPECT_EQ(read_all(pid_file), std::to_string(daemon->pid()) + "\n");

  // The stand-in for web's server on the port fetcher may reach.
  const int server = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(server, 8), 0);

  // Step 4: the tenants, as their users with the clients group (so the 0660 socket opens).
  const auto target = testing::loopback(v1::IP_ADDRESS_FAMILY_IPV4, port);
  EXPECT_EQ(run_as(uid_of(web_), group_id(),
                   [&] {
                     TestClient client("unix:" + socket);
                     if (!client.attach() || client.opened().tenant() != "web") {
                       return child_failure(10, "not admitted as web");
                     }
                     const auto id = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
                     if (client.tcp_start_connect(id, target) != v1::ERROR_CODE_ACCESS_DENIED) {
                       return child_failure(11, "web's connect out was not access-denied");
                     }
                     v1::ResolveAddressesRequest lookup;
                     lookup.set_network_id(client.network_id());
                     lookup.set_name("localhost");
                     const auto answer = client.call(
                         client.lookup(), &v1::IpNameLookup::Stub::ResolveAddresses, lookup);
                     if (answer.error() != v1::ERROR_CODE_PERMANENT_RESOLVER_FAILURE) {
                       return child_failure(12, "web's lookup was not refused");
                     }
                     return 0;
                   }),
            0);
  EXPECT_EQ(
      run_as(uid_of(fetcher_), group_id(),
             [&] {
               TestClient client("unix:" + socket);
               if (!client.attach() || client.opened().tenant() != "fetcher") {
                 return child_failure(20, "not admitted as fetcher");
               }
               const auto id = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
               if (client.tcp_connect_polling(id, target) != v1::ERROR_CODE_UNSPECIFIED) {
                 return child_failure(21, "fetcher could not connect to web's port");
               }
               const auto other = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
               const auto elsewhere = testing::loopback(v1::IP_ADDRESS_FAMILY_IPV4, 9);
               if (client.tcp_start_connect(other, elsewhere) != v1::ERROR_CODE_ACCESS_DENIED) {
                 return child_failure(22, "fetcher reached a port its policy does not name");
               }
               return 0;
             }),
      0);
  ::close(server);

  // Step 5: the audit lines name what was tried; the metrics carry the deciding rule.
  const std::string log = read_all(audit);
  const std::string to = "127.0.0.1:" + std::to_string(port);
  EXPECT_NE(log.find("\"tenant\":\"web\",\"uid\":" + std::to_string(uid_of(web_))),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("\"operation\":\"tcp.bind\",\"address\":\"0.0.0.0:0\",\"target\":\"" + to +
                     "\",\"rule\":\"default-deny\",\"outcome\":\"deny\""),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("\"operation\":\"name_lookup\",\"name\":\"localhost\",\"rule\":\"web."
                     "name_lookup.disabled\""),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("\"operation\":\"tcp.connect\",\"address\":\"127.0.0.1:9\",\"rule\":"
                     "\"default-deny\""),
            std::string::npos)
      << log;
  const std::string metrics = testing::http_exchange(metrics_port, "GET /metrics HTTP/1.0\r\n\r\n");
  EXPECT_NE(metrics.find("wasi_socketd_denials_total{tenant=\"web\",operation=\"tcp.bind\",rule="
                         "\"default-deny\"} 1\n"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("wasi_socketd_denials_total{tenant=\"web\",operation=\"name_lookup\","
                         "rule=\"web.name_lookup.disabled\"} 1\n"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("wasi_socketd_denials_total{tenant=\"fetcher\",operation=\"tcp.connect\","
                         "rule=\"default-deny\"} 1\n"),
            std::string::npos)
      << metrics;

  // Step 6: reload through the pid file, then stop; the pid file goes with the daemon.
  const pid_t from_file = static_cast<pid_t>(std::stol(read_all(pid_file)));
  ASSERT_EQ(::kill(from_file, SIGHUP), 0);
  EXPECT_TRUE(wait_until([&] {
    return testing::http_exchange(metrics_port, "GET /metrics HTTP/1.0\r\n\r\n")
               .find("wasi_socketd_policy_reloads_total{result=\"accepted\"} 1\n") !=
           std::string::npos;
  }));
  const int exit_status = daemon->terminate();
  EXPECT_TRUE(WIFEXITED(exit_status) && WEXITSTATUS(exit_status) == 0) << exit_status;
  EXPECT_FALSE(std::filesystem::exists(pid_file));
  EXPECT_FALSE(std::filesystem::exists(socket));
}

}  // namespace
}  // namespace wasi_socketd::policy
