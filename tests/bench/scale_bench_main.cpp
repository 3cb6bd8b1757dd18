// Scale benchmark, daemon side (issue 12): N idle TCP connections held through ONE session, via
// the client library, under a policy that raises only [tenant.quotas] sockets_per_session to N. The
// far ends are kernel sockets in this process. Prints FIGURE lines: the daemon's RSS per idle
// connection, the connect rate, and the daemon's fds after the connections are dropped (over its
// baseline). The load average is printed beside them: on a shared machine the figures are
// indicative only.
//
// Usage: wasi-socketd-scale-bench [--connections N]   (default 10000)
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_report.h"
#include "daemon_process.h"
#include "loopback_acceptor.h"
#include "process_stats.h"
#include "wasi_socketd/client/session.h"
#include "wasi_socketd/client/tcp_socket.h"

namespace {

using wasi_socketd::bench::Clock;
namespace client = wasi_socketd::client;
using wasi_socketd::testing::open_fd_count;
using wasi_socketd::testing::resident_bytes;

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
  wasi_socketd::bench::LoopbackAcceptor acceptor;
  // The default policy (loopback for this uid), with one documented key raised.
  const auto policy = dir / "policy.toml";
  std::ofstream(policy) << "[[tenant]]\nname = \"scale\"\nuids = [" << ::getuid()
                        << "]\n[tenant.quotas]\nsockets_per_session = " << connections
                        << "\n[tenant.tcp]\n[[tenant.tcp.bind]]\naddresses = [\"0.0.0.0\"]\n"
                           "[[tenant.tcp.connect]]\naddresses = [\"127.0.0.1\"]\n";
  wasi_socketd::testing::DaemonProcess daemon(wasi_socketd::testing::DaemonOptions{
      .policy_path = policy.string(), .socket_path = (dir / "broker.sock").string()});
  std::string error;
  auto session = client::Session::open({daemon.socket_path()}, &error);
  if (!session) {
    std::fprintf(stderr, "cannot open a broker session: %s\n", error.c_str());
    return 1;
  }
  const long fds_before = static_cast<long>(open_fd_count(daemon.pid()));
  const long rss_before = resident_bytes(daemon.pid());

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
  const long rss_held = resident_bytes(daemon.pid());
  const long fds_held = static_cast<long>(open_fd_count(daemon.pid()));

  held.clear();  // drop every connection
  long fds_after = static_cast<long>(open_fd_count(daemon.pid()));
  for (int i = 0; i < 300 && fds_after > fds_before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fds_after = static_cast<long>(open_fd_count(daemon.pid()));
  }

  std::printf("load average %.2f (2 cores shared): figures are indicative\n",
              wasi_socketd::bench::load_average());
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
