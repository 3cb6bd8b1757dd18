// wasi-socketd-guest-bench: a real WebAssembly guest through the broker against the same guest on
// in-process @bytecodealliance/preview2-shim, measured in one run.
//
//   bulk: tests/bench/guests/tcp_bulk_peer.c sends to / receives from a native loopback peer; the
//   guest
//         times itself from the established connection to the last byte (bytes/s);
//   http: tests/guests/examples/http_server.c under `wrk` (requests/s), responses checked.
// Both hosts run through build/bin/wasi-socket-run (broker: --broker SOCKET; shim: --no-broker).
// Every figure is speed-like, so every RATIO is broker / preview2-shim (higher is better).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_report.h"
#include "child_process.h"
#include "daemon_process.h"
#include "native_bulk.h"
#include "runner_host.h"

using namespace wasi_socketd::bench;
using wasi_socketd::testing::ChildProcess;
using wasi_socketd::testing::DaemonProcess;
using namespace std::chrono_literals;

namespace {

struct Options {
  std::uint64_t broker_mib = 256;
  std::uint64_t shim_mib = 32;
  int http_seconds = 5;
  int http_connections = 64;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--quick") {
      options = {16, 4, 2, 16};
    } else if (arg == "--help" || arg == "-h") {
      std::printf(
          "usage: wasi-socketd-guest-bench [--quick]\n"
          "Runs guests through the broker and on in-process preview2-shim; prints FIGURE and RATIO "
          "lines.\n"
          "  RATIO bulk_vs_preview2_shim      guest TCP bytes/s (send+receive), broker / shim\n"
          "  RATIO http_rps_vs_preview2_shim  HTTP guest requests/s under wrk, broker / shim\n"
          "  --quick  small sizes and a short wrk run (for smoke tests)\n"
          "Needs wrk (apt install wrk) and the guests built into build/guests/.\n");
      std::exit(0);
    } else {
      std::fprintf(stderr, "unknown argument %s (see --help)\n", argv[i]);
      std::exit(2);
    }
  }
  return options;
}

using Host = RunnerHost;

// Runs tcp_bulk_peer once; returns the guest's own bytes/s.
double guest_bulk_rate(const Host& host, const std::string& direction, std::uint16_t port,
                       std::uint64_t mib) {
  ChildProcess guest(
      runner_command(host, "tcp_bulk_peer", {direction, std::to_string(port), std::to_string(mib)}),
      bench_child_options());
  std::string output = guest.read_rest();
  int status = guest.wait_for_exit();
  std::smatch match;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      !std::regex_search(output, match, std::regex(R"(bytes=(\d+) elapsed_ns=(\d+))"))) {
    throw std::runtime_error(host.name + " tcp_bulk_peer " + direction + " failed: " + output);
  }
  return std::stod(match[1]) / (std::stod(match[2]) / 1e9);
}

// Starts http_server on a free port, drives it with wrk, returns requests/s.
double http_requests_per_second(const Host& host, const Options& options) {
  ChildProcess server(runner_command(host, "http_server", {"0"}), bench_child_options());
  std::smatch match;
  std::string port;
  while (auto line = server.read_line(60s)) {
    if (std::regex_search(*line, match, std::regex(R"(listening on [0-9.]+:(\d+))"))) {
      port = match[1];
      break;
    }
  }
  if (port.empty()) throw std::runtime_error(host.name + " http_server did not start");
  ChildProcess wrk(
      {"/usr/bin/wrk", "-t1", "-c" + std::to_string(options.http_connections),
       "-d" + std::to_string(options.http_seconds) + "s", "http://127.0.0.1:" + port + "/"},
      bench_child_options());
  std::string report = wrk.read_rest();
  wrk.wait_for_exit();
  server.kill(SIGTERM);
  // wrk prints these lines only when something went wrong; the figure is still reported.
  if (report.find("Non-2xx") != std::string::npos ||
      report.find("Socket errors") != std::string::npos) {
    std::fprintf(stderr, "%s http: wrk reported errors:\n%s", host.name.c_str(), report.c_str());
  }
  if (!std::regex_search(report, match, std::regex(R"(Requests/sec:\s+([0-9.]+))"))) {
    throw std::runtime_error(host.name + " wrk failed: " + report);
  }
  return std::stod(match[1]);
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  auto dir = std::filesystem::temp_directory_path() /
             ("wasi-socketd-guest-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  DaemonProcess daemon(
      wasi_socketd::testing::DaemonOptions{.socket_path = (dir / "broker.sock").string()});
  Host broker{"broker",
              {"--broker", daemon.socket_path(), "--cache-dir", (dir / "cache").string()}};
  Host shim{"shim", {"--no-broker", "--cache-dir", (dir / "cache").string()}};

  struct Bulk {
    double send = 0, receive = 0;
  };
  auto bulk = [&](const Host& host, std::uint64_t mib) {
    TcpSink sink;
    TcpSource source(mib << 20);
    Bulk result{guest_bulk_rate(host, "send", sink.port(), mib),
                guest_bulk_rate(host, "recv", source.port(), mib)};
    print_figure(host.name + "_guest_tcp_send_bytes_per_s", result.send, "B/s");
    print_figure(host.name + "_guest_tcp_recv_bytes_per_s", result.receive, "B/s");
    return result;
  };
  // Warm the transpile cache so no run below pays for it.
  guest_bulk_rate(shim, "send", TcpSink().port(), 1);
  Bulk on_broker = bulk(broker, options.broker_mib);
  Bulk on_shim = bulk(shim, options.shim_mib);
  // Combined rate: the same bytes both ways, total bytes over total time.
  auto combined = [](const Bulk& b) { return 2.0 / (1.0 / b.send + 1.0 / b.receive); };
  print_ratio("bulk_send_vs_preview2_shim", on_broker.send, on_shim.send,
              "guest TCP send bytes/s, broker over preview2-shim; higher is better");
  print_ratio("bulk_recv_vs_preview2_shim", on_broker.receive, on_shim.receive,
              "guest TCP receive bytes/s, broker over preview2-shim; higher is better");
  print_ratio("bulk_vs_preview2_shim", combined(on_broker), combined(on_shim),
              "guest TCP bytes/s both directions, broker over preview2-shim; higher is better");

  double broker_rps = http_requests_per_second(broker, options);
  double shim_rps = http_requests_per_second(shim, options);
  print_figure("broker_http_requests_per_s", broker_rps, "req/s");
  print_figure("shim_http_requests_per_s", shim_rps, "req/s");
  print_ratio("http_rps_vs_preview2_shim", broker_rps, shim_rps,
              "HTTP guest requests/s under wrk, broker over preview2-shim; higher is better");
  std::filesystem::remove_all(dir);
  return 0;
}
