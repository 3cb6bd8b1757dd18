// Scale benchmark, guest side (issue 12): one guest (tests/bench/guests/tcp_hold.c) holds N idle
// TCP connections through wasi-socket-run — through the broker (one session), and on in-process
// preview2-shim — to far ends accepted in this process. Prints:
//   FIGURE adapter_bytes_per_idle_connection  the runner's (Node.js) RSS growth per connection,
//                                              through the broker
//   FIGURE daemon_bytes_per_idle_connection   the broker's RSS growth per connection
//   FIGURE <host>_connect_rate                connections/s the guest opened (and
//   native_connect_rate) FIGURE <host>_wake_us_<n>                 median time to wake one
//   connection among n idle ones:
//                                              a byte written here, echoed by the guest
//   RATIO  connect_rate_vs_preview2_shim, connect_rate_vs_native
//   FIGURE daemon_fds_over_baseline_after_exit after the guest dropped everything and exited (the
//                                              benchmark exits 1 unless it is 0)
//   RATIO  wake_at_<N>_vs_wake_at_<small>     broker's wake time with few connections / with N:
//                                              1.0 when idle connections cost the wake nothing
//   FIGURE daemon_fds_touched_in_<K>_wakes_at_<n>, daemon_syscalls_in_<K>_wakes_at_<n>
//                                              strace -f on the daemon during K echoes on K
//                                              distinct held connections (n = N and few): the
//                                              distinct fds its network/descriptor syscalls name
//                                              (K plus its fixed fds when a wake touches only
//                                              its own socket) and how many syscalls it made
// The load average is printed first: on a busy machine the figures are indicative only.
//
// Usage: wasi-socketd-guest-scale-bench [--connections N] [--quick]   (default 10000)
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_report.h"
#include "child_process.h"
#include "daemon_process.h"
#include "daemon_trace.h"
#include "loopback_acceptor.h"
#include "loopback_address.h"
#include "process_stats.h"
#include "runner_host.h"
#include "scale_policy.h"

using namespace wasi_socketd::bench;
using namespace std::chrono_literals;
using wasi_socketd::testing::resident_bytes;
using wasi_socketd::testing::settle_fd_count;
using wasi_socketd::testing::stable_fd_count;

namespace {

constexpr int kWakes = 200;
constexpr int kTracedWakes = 50;

struct HoldResult {
  double connect_rate = 0;       // connections/s, as the guest timed them
  double runner_bytes_each = 0;  // runner RSS growth per held connection
  double daemon_bytes_each = 0;  // broker RSS growth per held connection (0 on the shim)
  double wake_us = 0;            // median echo round trip on one of the held connections
  // Broker only, under strace: the daemon's syscalls and the distinct fds they named during
  // kTracedWakes echoes on distinct held connections.
  std::size_t traced_wakes = 0;
  std::size_t traced_syscalls = 0;
  std::size_t traced_fds = 0;
};

// Writes one byte on `fd` and waits for it to come back; returns the round trip in µs.
double echo_round_trip_us(int fd) {
  const char byte = 'x';
  const auto start = Clock::now();
  if (::send(fd, &byte, 1, MSG_NOSIGNAL) != 1) throw std::runtime_error("send to the guest failed");
  pollfd readable{fd, POLLIN, 0};
  char back = 0;
  if (::poll(&readable, 1, 10000) != 1 || ::recv(fd, &back, 1, 0) != 1 || back != byte) {
    throw std::runtime_error("the guest did not echo within 10 s");
  }
  return seconds_since(start) * 1e6;
}

HoldResult hold(const RunnerHost& host, int connections, pid_t daemon_pid) {
  LoopbackAcceptor acceptor;
  ChildProcess guest(runner_command(
      host, "tcp_hold", {std::to_string(acceptor.port()), std::to_string(connections)}), bench_child_options());
  const auto start_deadline = Clock::now() + 120s;
  while (!acceptor.wait_for(1, 100ms)) {
    if (!guest.running() || Clock::now() > start_deadline) {
      throw std::runtime_error(host.name + ": tcp_hold made no control connection");
    }
  }
  std::this_thread::sleep_for(500ms);  // the runner's start-up allocations settle
  const long runner_before = resident_bytes(guest.pid());
  const long daemon_before = daemon_pid > 0 ? resident_bytes(daemon_pid) : 0;
  if (::send(acceptor.connection(0), "g", 1, MSG_NOSIGNAL) != 1) {
    throw std::runtime_error(host.name + ": cannot start the guest");
  }
  std::smatch match;
  const auto line = guest.read_line(600s);
  if (!line ||
      !std::regex_search(*line, match, std::regex(R"(connected=(\d+) elapsed_ns=(\d+))"))) {
    throw std::runtime_error(host.name + " tcp_hold failed: " + line.value_or("(no output)"));
  }
  if (!acceptor.wait_for(static_cast<std::size_t>(connections) + 1, 60s)) {
    throw std::runtime_error(host.name + ": connections missing at the far end");
  }
  HoldResult result;
  result.connect_rate = connections / (std::stod(match[2]) / 1e9);
  std::this_thread::sleep_for(1s);
  result.runner_bytes_each =
      static_cast<double>(resident_bytes(guest.pid()) - runner_before) / connections;
  if (daemon_pid > 0) {
    result.daemon_bytes_each =
        static_cast<double>(resident_bytes(daemon_pid) - daemon_before) / connections;
  }
  std::vector<double> wakes;
  for (int i = 0; i < kWakes; ++i) {
    const auto held =
        1 + static_cast<std::size_t>(i * 7919) % static_cast<std::size_t>(connections);
    wakes.push_back(echo_round_trip_us(acceptor.connection(held)));
  }
  result.wake_us = median(wakes);
  if (daemon_pid > 0) {
    // One wake among N idle connections should touch O(1) of the daemon's sockets: count the
    // fds its syscalls name over a few wakes (about kTracedWakes + its fixed ones, not N).
    result.traced_wakes = static_cast<std::size_t>(std::min(kTracedWakes, connections));
    const DaemonTouches touches = trace_daemon(daemon_pid, [&] {
      for (std::size_t i = 1; i <= result.traced_wakes; ++i) {
        echo_round_trip_us(acceptor.connection(i));
      }
    });
    result.traced_syscalls = touches.syscalls;
    result.traced_fds = touches.fds.size();
  }
  ::send(acceptor.connection(0), "q", 1, MSG_NOSIGNAL);
  const int status = guest.wait_for_exit();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(host.name + " tcp_hold exited with status " + std::to_string(status));
  }
  return result;
}

// Native blocking connects from this process to a loopback acceptor: connections/s. Each client
// end is closed once connected (the accepted ends stay), so that 2N fds are never needed at once;
// only the connects are timed.
double native_connect_rate(int connections) {
  LoopbackAcceptor acceptor;
  const sockaddr_in address = loopback_address(acceptor.port());
  double seconds = 0;
  for (int i = 0; i < connections; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const auto start = Clock::now();
    if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("native connect failed: " + std::string(std::strerror(errno)));
    }
    seconds += seconds_since(start);
    ::close(fd);
  }
  return connections / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  int connections = 10000;
  int few = 100;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--connections") == 0 && i + 1 < argc) {
      connections = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--quick") == 0) {
      connections = 500;
      few = 20;
    } else {
      std::printf("usage: wasi-socketd-guest-scale-bench [--connections N] [--quick]\n");
      return std::strcmp(argv[i], "--help") == 0 ? 0 : 2;
    }
  }
  // This process holds the far ends; the daemon and the runners inherit the raised limit.
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);

  const auto dir = std::filesystem::temp_directory_path() /
                   ("wasi-socketd-guest-scale-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // The default policy's loopback grant for this uid, with one documented key raised (the
  // control connection is one more socket).
  const auto policy = dir / "policy.toml";
  write_scale_policy(policy, connections + 1);
  std::printf("load average %.2f (2 cores): figures are indicative unless it is below 1.5\n",
              load_average());
  try {
    wasi_socketd::testing::DaemonProcess daemon(wasi_socketd::testing::DaemonOptions{
        .policy_path = policy.string(), .socket_path = (dir / "broker.sock").string()});
    const RunnerHost broker{
        "broker", {"--broker", daemon.socket_path(), "--cache-dir", (dir / "cache").string()}};
    const RunnerHost shim{"shim", {"--no-broker", "--cache-dir", (dir / "cache").string()}};

    const std::size_t idle_fds = stable_fd_count(daemon.pid());
    const HoldResult through_broker = hold(broker, connections, daemon.pid());
    // The guest exited and dropped everything: the broker is back at its idle fds.
    const std::size_t fds_after = settle_fd_count(daemon.pid(), idle_fds);
    const HoldResult few_through_broker = hold(broker, few, daemon.pid());
    const HoldResult on_shim = hold(shim, connections, -1);
    const double native = native_connect_rate(connections);

    print_figure("adapter_bytes_per_idle_connection", through_broker.runner_bytes_each, "bytes");
    print_figure("daemon_bytes_per_idle_connection", through_broker.daemon_bytes_each, "bytes");
    print_figure("daemon_fds_over_baseline_after_exit",
                 static_cast<double>(fds_after) - static_cast<double>(idle_fds), "fds");
    print_figure("shim_runner_bytes_per_idle_connection", on_shim.runner_bytes_each, "bytes");
    print_figure("broker_connect_rate", through_broker.connect_rate, "connections/s");
    print_figure("shim_connect_rate", on_shim.connect_rate, "connections/s");
    print_figure("native_connect_rate", native, "connections/s");
    print_figure("broker_wake_us_" + std::to_string(connections), through_broker.wake_us, "us");
    print_figure("broker_wake_us_" + std::to_string(few), few_through_broker.wake_us, "us");
    print_figure("shim_wake_us_" + std::to_string(connections), on_shim.wake_us, "us");
    for (const HoldResult* held : {&through_broker, &few_through_broker}) {
      const std::string at = std::to_string(held->traced_wakes) + "_wakes_at_" +
                             std::to_string(held == &through_broker ? connections : few);
      print_figure("daemon_fds_touched_in_" + at, static_cast<double>(held->traced_fds), "fds");
      print_figure("daemon_syscalls_in_" + at, static_cast<double>(held->traced_syscalls),
                   "syscalls");
    }
    print_ratio("connect_rate_vs_preview2_shim", through_broker.connect_rate, on_shim.connect_rate,
                "guest connects/s, broker / shim");
    print_ratio("connect_rate_vs_native", through_broker.connect_rate, native,
                "guest connects/s through the broker / native blocking connects");
    // Speed-like: the time with few connections over the time with N.
    print_ratio(
        "wake_at_" + std::to_string(connections) + "_vs_wake_at_" + std::to_string(few),
        1.0 / through_broker.wake_us, 1.0 / few_through_broker.wake_us,
        "one wake among N idle connections, against among few: 1.0 = idle ones cost nothing");
    if (fds_after > idle_fds) {
      std::fprintf(stderr, "the broker kept %zu fds of the guest that exited\n",
                   fds_after - idle_fds);
      std::filesystem::remove_all(dir);
      return 1;
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "wasi-socketd-guest-scale-bench: %s\n", error.what());
    std::filesystem::remove_all(dir);
    return 1;
  }
  std::filesystem::remove_all(dir);
  return 0;
}
