// The metrics listener (--metrics-http) is a loopback TCP port, so any local user reaches it,
// tenant or not, and every connection is a daemon fd outside the tenants' shares. On main, 300
// idle connections used up a daemon limited to 256 fds: tenants could not even connect ("accept
// failed: Too many open files", retried every 100 ms) while the metrics thread retried its own
// failed accept at once, spinning. Now at most MetricsHttpServer::kMaxConnections are open.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "http_get.h"
#include "raw_http2.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono_literals;

constexpr rlim_t kDaemonFdLimit = 256;
constexpr int kFloodConnections = 300;

// A loopback port nobody listens on now (below the ephemeral range is not needed: nothing
// connects out of it).
unsigned short free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

int connect_to(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST(MetricsFlood, IdleMetricsConnectionsCannotUseUpTheDaemonsFds) {
  const unsigned short port = free_port();
  DaemonProcess daemon({"--metrics-http", "127.0.0.1:" + std::to_string(port)});
  const rlimit low{kDaemonFdLimit, kDaemonFdLimit};
  if (::prlimit(daemon.pid(), RLIMIT_NOFILE, &low, nullptr) != 0) {
    GTEST_SKIP() << "cannot lower the daemon's fd limit (prlimit needs the same uid or root)";
  }
  std::vector<int> flood;
  for (int i = 0; i < kFloodConnections; ++i) {
    const int fd = connect_to(port);
    if (fd < 0) break;
    ::send(fd, "GET /metr", 9, MSG_NOSIGNAL);  // half a request head, then nothing
    flood.push_back(fd);
  }
  std::this_thread::sleep_for(300ms);  // the daemon accepts them
  const int daemon_fds = daemon.open_fd_count();

  // A tenant connects meanwhile: the daemon must accept it and speak HTTP/2.
  RawHttp2Connection tenant(daemon.socket_path());
  ASSERT_TRUE(tenant.connected());
  ASSERT_TRUE(tenant.send_preface({}));
  tenant.read_for(2s);
  EXPECT_TRUE(tenant.server_settings_received())
      << "the daemon did not serve a tenant's connection within 2 s with " << flood.size()
      << " metrics connections open (daemon fds: " << daemon_fds << ")";
  EXPECT_LT(daemon_fds, static_cast<int>(kDaemonFdLimit) - 64)
      << "the metrics connections took the fds tenants need";

  for (int fd : flood) ::close(fd);
  std::this_thread::sleep_for(200ms);
  const std::string scrape = http_exchange(port, "GET /metrics HTTP/1.0\r\n\r\n");
  EXPECT_EQ(scrape.rfind("HTTP/1.1 200 OK", 0), 0u) << scrape.substr(0, 200);
}

}  // namespace
}  // namespace wasi_socketd::testing
