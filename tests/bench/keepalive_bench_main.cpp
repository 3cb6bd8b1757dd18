// wasi-socketd-keepalive-bench (issue 12): an HTTP/1.1 keep-alive server guest
// (tests/guests/load/keepalive_server.c, which polls every connection it holds) holding N idle
// connections (default 10,000) answers wrk through the broker and on in-process preview2-shim.
//
// Per host: the guest runs through build/bin/wasi-socket-run (the broker's policy raises only the
// documented quota keys [tenant.quotas] sockets_per_session and sockets); this process opens N
// keep-alive connections, each answered one GET / as it opens, and keeps them idle; wrk then runs
// (-c 1000 -d 5s) against the same server; at the end every idle connection must answer one more
// GET / (exit status 1 otherwise). Prints:
//   FIGURE <host>_http_keepalive_requests_per_s   wrk's requests/s with the N connections held
//   FIGURE <host>_http_keepalive_p99_us            wrk's 99th percentile latency
//   RATIO  http_keepalive_10k_rps_vs_preview2_shim broker req/s / shim req/s (the name keeps
//                                                  "10k" whatever N is; FIGURE held_connections
//                                                  says N)
//
// Usage: wasi-socketd-keepalive-bench [--connections N] [--quick]  (--quick: 500 held, wrk -c50
// -d1s)
#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <string>

#include "bench_report.h"
#include "child_process.h"
#include "daemon_process.h"
#include "keepalive_clients.h"
#include "runner_host.h"
#include "scale_policy.h"
#include "wrk_run.h"

using namespace wasi_socketd::bench;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kOpenBatch = 500;  // below the guest's listen backlog (1024)

struct Options {
  int held = 10000;
  WrkLoad wrk{2, 1000, 5, "/"};
};

struct HostResult {
  WrkResult wrk;
  std::size_t answering_after = 0;
};

HostResult serve(const RunnerHost& host, const Options& options) {
  // Room for the held connections and wrk's at once; /big is not asked (1 KiB).
  const int capacity = options.held + options.wrk.connections + 16;
  ChildProcess server(runner_command(host, "keepalive_server", {"1024", std::to_string(capacity)}), bench_child_options());
  std::smatch match;
  std::uint16_t port = 0;
  while (auto line = server.read_line(60s)) {
    if (std::regex_search(*line, match, std::regex(R"(listening on [0-9.]+:(\d+))"))) {
      port = static_cast<std::uint16_t>(std::stoi(match[1]));
      break;
    }
  }
  if (port == 0) throw std::runtime_error(host.name + " keepalive_server did not start");
  KeepAliveClients idle;
  const auto start = Clock::now();
  idle.open(port, static_cast<std::size_t>(options.held), kOpenBatch);
  std::printf("%s: %zu keep-alive connections open and answered in %.1f s\n", host.name.c_str(),
              idle.size(), seconds_since(start));
  HostResult result;
  result.wrk = run_wrk(port, options.wrk);
  if (result.wrk.errors) {
    std::fprintf(stderr, "%s: wrk reported errors:\n%s", host.name.c_str(),
                 result.wrk.report.c_str());
  }
  result.answering_after = idle.answering(kOpenBatch);
  if (!server.running()) throw std::runtime_error(host.name + " keepalive_server exited");
  server.kill(SIGTERM);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--connections") == 0 && i + 1 < argc) {
      options.held = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--quick") == 0) {
      options.held = 500;
      options.wrk = {1, 50, 1, "/"};
    } else {
      std::printf(
          "usage: wasi-socketd-keepalive-bench [--connections N] [--quick]\n"
          "An HTTP keep-alive server guest holding N idle connections (default 10000) under\n"
          "wrk -t2 -c1000 -d5s, through the broker and on preview2-shim; exits 1 unless every\n"
          "idle connection still answers at the end.\n"
          "  RATIO http_keepalive_10k_rps_vs_preview2_shim  broker req/s / shim req/s\n"
          "  --quick  500 held connections, wrk -t1 -c50 -d1s (for smoke tests)\n");
      return std::strcmp(argv[i], "--help") == 0 ? 0 : 2;
    }
  }
  if (options.held <= 0) {
    std::fprintf(stderr, "--connections must be positive\n");
    return 2;
  }
  // This process holds the client ends; the daemon and the runners inherit the raised limit.
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);

  const auto dir = std::filesystem::temp_directory_path() /
                   ("wasi-socketd-keepalive-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::printf("load average %.2f (2 cores): figures are indicative unless it is below 1.5\n",
              load_average());
  int status = 0;
  try {
    const auto policy = dir / "policy.toml";
    // The held connections, wrk's, the listener and the guest's slack.
    write_scale_policy(policy, options.held + options.wrk.connections + 64);
    wasi_socketd::testing::DaemonProcess daemon(wasi_socketd::testing::DaemonOptions{
        .policy_path = policy.string(), .socket_path = (dir / "broker.sock").string()});
    const RunnerHost broker{
        "broker", {"--broker", daemon.socket_path(), "--cache-dir", (dir / "cache").string()}};
    const RunnerHost shim{"shim", {"--no-broker", "--cache-dir", (dir / "cache").string()}};
    const HostResult on_broker = serve(broker, options);
    const HostResult on_shim = serve(shim, options);
    print_figure("held_connections", options.held, "connections");
    const std::pair<const char*, const HostResult*> hosts[] = {{"broker", &on_broker},
                                                               {"shim", &on_shim}};
    for (const auto& [name, result] : hosts) {
      print_figure(std::string(name) + "_http_keepalive_requests_per_s", result->wrk.requests_per_s,
                   "req/s");
      print_figure(std::string(name) + "_http_keepalive_p99_us", result->wrk.p99_us, "us");
      print_figure(std::string(name) + "_idle_connections_answering_after",
                   static_cast<double>(result->answering_after), "connections");
      if (result->answering_after != static_cast<std::size_t>(options.held)) {
        std::fprintf(stderr, "%s: only %zu of %d idle connections answered after wrk\n", name,
                     result->answering_after, options.held);
        status = 1;
      }
    }
    print_ratio("http_keepalive_10k_rps_vs_preview2_shim", on_broker.wrk.requests_per_s,
                on_shim.wrk.requests_per_s,
                "HTTP keep-alive guest req/s under wrk while it holds the idle connections, "
                "broker over preview2-shim; higher is better");
  } catch (const std::exception& error) {
    std::fprintf(stderr, "wasi-socketd-keepalive-bench: %s\n", error.what());
    status = 1;
  }
  std::filesystem::remove_all(dir);
  return status;
}
