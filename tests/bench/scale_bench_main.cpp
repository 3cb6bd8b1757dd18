// Scale benchmark, daemon side (issue 12): N idle TCP connections held through ONE session, via
// the client library, under a policy that raises only [tenant.quotas] sockets_per_session to N. The
// far ends are kernel sockets in this process. Prints FIGURE lines: the daemon's RSS per idle
// connection, the connect rate, and the daemon's fds after the connections are dropped (over its
// baseline). The load average is printed beside them: on a shared machine the figures are
// indicative only.
//
// Usage: wasi-socketd-scale-bench [--connections N]   (default 10000)
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_report.h"
#include "daemon_launcher.h"
#include "wasi_socketd/client/session.h"
#include "wasi_socketd/client/tcp_socket.h"

namespace {

using wasi_socketd::bench::Clock;
namespace client = wasi_socketd::client;

long daemon_rss_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6) * 1024;
  }
  return 0;
}

long daemon_fds(pid_t pid) {
  long count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    (void)entry;
    ++count;
  }
  return count;
}

std::string load_average() {
  std::ifstream loadavg("/proc/loadavg");
  std::string one;
  loadavg >> one;
  return one;
}

// A kernel listener on 127.0.0.1 that accepts (and keeps) every connection on its own thread.
class Acceptor {
 public:
  Acceptor() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd_, 4096) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      std::perror("listener");
      std::exit(1);
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) return;  // shutdown() below
        accepted_.push_back(fd);
      }
    });
  }
  ~Acceptor() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
    for (int fd : accepted_) ::close(fd);
  }
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::vector<int> accepted_;
  std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
  int connections = 10000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--connections") == 0) connections = std::atoi(argv[i + 1]);
  }
  // This process holds the far ends; the daemon (our child) inherits the raised limit too.
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);

  const auto dir =
      std::filesystem::temp_directory_path() / ("wasi-socketd-scale-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Acceptor acceptor;
  // The default policy (loopback for this uid), with one documented key raised.
  const auto policy = dir / "policy.toml";
  std::ofstream(policy) << "[[tenant]]\nname = \"scale\"\nuids = [" << ::getuid()
                        << "]\n[tenant.quotas]\nsockets_per_session = " << connections
                        << "\n[tenant.tcp]\n[[tenant.tcp.bind]]\naddresses = [\"0.0.0.0\"]\n"
                           "[[tenant.tcp.connect]]\naddresses = [\"127.0.0.1\"]\n";
  wasi_socketd::bench::DaemonLauncher daemon((dir / "broker.sock").string(), policy.string());
  std::string error;
  auto session = client::Session::open({daemon.socket_path()}, &error);
  if (!session) {
    std::fprintf(stderr, "cannot open a broker session: %s\n", error.c_str());
    return 1;
  }
  const long fds_before = daemon_fds(daemon.pid());
  const long rss_before = daemon_rss_bytes(daemon.pid());

  client::IpSocketAddress remote{client::IpAddress::v4(127, 0, 0, 1), acceptor.port()};
  std::vector<client::TcpSocket> held;
  held.reserve(static_cast<std::size_t>(connections));
  const auto started = Clock::now();
  constexpr int kBatch = 200;  // connects in flight at once
  for (int done = 0; done < connections;) {
    std::vector<client::TcpSocket> batch;
    for (int i = 0; i < kBatch && done + i < connections; ++i) {
      auto socket = client::TcpSocket::create(session, client::AddressFamily::kIpv4);
      if (!socket || !socket->start_connect(session->network_id(), remote)) {
        std::fprintf(stderr, "connection %d could not start\n", done + i);
        return 1;
      }
      batch.push_back(std::move(*socket));
    }
    for (auto& socket : batch) {
      const std::uint64_t id = socket.id();
      session->wait_until(
          [id](const client::Mirror& m) { return m.ready(id, client::ReadinessKind::kConnect); },
          Clock::now() + std::chrono::seconds(30));
      if (!socket.finish_connect()) {
        std::fprintf(stderr, "connection %d failed\n", done);
        return 1;
      }
      held.push_back(std::move(socket));
      ++done;
    }
  }
  const double connect_seconds = wasi_socketd::bench::seconds_since(started);
  std::this_thread::sleep_for(std::chrono::seconds(1));  // let the daemon settle
  const long rss_held = daemon_rss_bytes(daemon.pid());
  const long fds_held = daemon_fds(daemon.pid());

  held.clear();  // drop every connection
  long fds_after = daemon_fds(daemon.pid());
  for (int i = 0; i < 300 && fds_after > fds_before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fds_after = daemon_fds(daemon.pid());
  }

  std::printf("load average %s (2 cores shared): figures are indicative\n", load_average().c_str());
  std::printf("connections %d, daemon fds %ld -> %ld, rss %ld -> %ld bytes\n", connections,
              fds_before, fds_held, rss_before, rss_held);
  wasi_socketd::bench::print_figure("daemon_bytes_per_idle_connection",
                                    static_cast<double>(rss_held - rss_before) / connections,
                                    "bytes");
  wasi_socketd::bench::print_figure("connect_rate_through_broker", connections / connect_seconds,
                                    "connections/s");
  wasi_socketd::bench::print_figure("daemon_fds_over_baseline_after_close",
                                    static_cast<double>(fds_after - fds_before), "fds");
  session->close();
  std::filesystem::remove_all(dir);
  return fds_after <= fds_before ? 0 : 1;
}
