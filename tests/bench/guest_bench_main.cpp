// wasi-socketd-guest-bench: a real WebAssembly guest through the broker against the same guest on
// in-process @bytecodealliance/preview2-shim, measured in one run.
//
//   calls: tests/bench/guests/tcp_calls.c times single WIT calls (control calls and local ones);
//   bulk:  tests/bench/guests/tcp_bulk_peer.c sends to / receives from a native loopback peer in
//          64 KiB and in 1 KiB writes/reads; the guest times itself (bytes/s);
//   http:  tests/guests/examples/http_server.c under `wrk --latency` (requests/s and p99);
//   udp:   tests/bench/guests/udp_send_peer.c sends datagrams to a native counting receiver.
// Both hosts run through build/bin/wasi-socket-run (broker: --broker SOCKET; shim: --no-broker).
// Every RATIO is oriented so that higher is better for the broker (see --help).
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
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
#include "guest_calls.h"
#include "native_bulk.h"
#include "native_udp.h"
#include "runner_host.h"
#include "wrk_run.h"

using namespace wasi_socketd::bench;
using namespace std::chrono_literals;

namespace {

struct Options {
  std::uint64_t broker_mib = 256;
  std::uint64_t shim_mib = 32;
  std::uint64_t broker_1k_mib = 32;
  std::uint64_t shim_1k_mib = 8;
  WrkLoad http{2, 64, 5, "/"};
  int calls = 500;  // per round: below the adapter's pipeline bound (tcp_calls.c)
  int connects = 100;
  std::uint64_t datagrams = 100000;
};

constexpr const char* kUsage =
    "usage: wasi-socketd-guest-bench [--quick]\n"
    "Runs guests through the broker and on in-process preview2-shim; prints FIGURE and RATIO "
    "lines.\nEvery RATIO is oriented so that higher is better for the broker:\n"
    "  RATIO guest_control_vs_preview2_shim  geometric mean over local-address,\n"
    "        set-keep-alive-enabled, set-receive-buffer-size, connect (to loopback) and accept\n"
    "        of shim ns per call / broker ns per call (per op: ..._<op>; FIGURE\n"
    "        guest_control_ns_<host>_<op>)\n"
    "  FIGURE guest_local_calls_ns_<host>_<op>  ns per call of check-write, pollable.ready,\n"
    "        an empty read, subscribe+drop\n"
    "  RATIO bulk_vs_preview2_shim     guest TCP bytes/s (send+receive, 64 KiB writes), broker / "
    "shim\n"
    "  RATIO bulk_1k_vs_preview2_shim  the same with 1 KiB writes and reads\n"
    "  RATIO http_rps_vs_preview2_shim HTTP guest requests/s under wrk, broker / shim\n"
    "  RATIO http_p99_vs_preview2_shim HTTP p99 latency (wrk --latency), shim / broker:\n"
    "        inverted, so >= 2 means the broker's p99 is at most half the shim's\n"
    "  RATIO udp_datagrams_vs_preview2_shim  64-byte datagrams/s a guest sends (up to 64 per\n"
    "        send, as check-send permits), broker / shim; arrivals are counted and losses printed\n"
    "  --quick  small sizes, few calls and a short wrk run (for smoke tests)\n"
    "Needs wrk (apt install wrk) and the guests built into build/guests/.\n";

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--quick") {
      options = {16, 4, 2, 1, {1, 16, 2, "/"}, 200, 20, 5000};
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
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
                       std::uint64_t mib, std::size_t chunk) {
  ChildProcess guest(runner_command(
      host, "tcp_bulk_peer",
      {direction, std::to_string(port), std::to_string(mib), std::to_string(chunk)}), bench_child_options());
  std::string output = guest.read_rest();
  int status = guest.wait_for_exit();
  std::smatch match;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      !std::regex_search(output, match, std::regex(R"(bytes=(\d+) elapsed_ns=(\d+))"))) {
    throw std::runtime_error(host.name + " tcp_bulk_peer " + direction + " failed: " + output);
  }
  return std::stod(match[1]) / (std::stod(match[2]) / 1e9);
}

struct Bulk {
  double send = 0, receive = 0;
  // Combined rate: the same bytes both ways, total bytes over total time.
  double combined() const { return 2.0 / (1.0 / send + 1.0 / receive); }
};

// Both directions on `host`; `label` is "" for 64 KiB chunks, "_1k" for 1 KiB.
Bulk bulk(const Host& host, std::uint64_t mib, std::size_t chunk, const std::string& label) {
  TcpSink sink;
  TcpSource source(mib << 20);
  Bulk result{guest_bulk_rate(host, "send", sink.port(), mib, chunk),
              guest_bulk_rate(host, "recv", source.port(), mib, chunk)};
  print_figure(host.name + "_guest_tcp_send" + label + "_bytes_per_s", result.send, "B/s");
  print_figure(host.name + "_guest_tcp_recv" + label + "_bytes_per_s", result.receive, "B/s");
  return result;
}

// Starts http_server on a free port and drives it with wrk.
WrkResult http_under_wrk(const Host& host, const WrkLoad& load) {
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
  WrkResult result = run_wrk(static_cast<std::uint16_t>(std::stoi(port)), load);
  server.kill(SIGTERM);
  // The figure is still reported: errors are a finding, not a reason to hide the run.
  if (result.errors) {
    std::fprintf(stderr, "%s http: wrk reported errors:\n%s", host.name.c_str(),
                 result.report.c_str());
  }
  return result;
}

void measure_calls(const Host& broker, const Host& shim, const Options& options) {
  const auto on_broker = guest_call_ns(broker, options.calls, options.connects);
  const auto on_shim = guest_call_ns(shim, options.calls, options.connects);
  double log_sum = 0;
  for (const char* op : kGuestControlOps) {
    const double b = on_broker.at(op), s = on_shim.at(op);
    print_figure(std::string("guest_control_ns_broker_") + op, b, "ns");
    print_figure(std::string("guest_control_ns_shim_") + op, s, "ns");
    // Speed-like: calls/s of the broker over calls/s of the shim.
    print_ratio(std::string("guest_control_vs_preview2_shim_") + op, 1.0 / b, 1.0 / s,
                "shim ns per call / broker ns per call; higher is better");
    log_sum += std::log(s / b);
  }
  const double geometric_mean = std::exp(log_sum / std::size(kGuestControlOps));
  print_ratio("guest_control_vs_preview2_shim", geometric_mean, 1.0,
              "geometric mean of the five per-op ratios above; higher is better");
  for (const char* op : kGuestLocalOps) {
    print_figure(std::string("guest_local_calls_ns_broker_") + op, on_broker.at(op), "ns");
    print_figure(std::string("guest_local_calls_ns_shim_") + op, on_shim.at(op), "ns");
  }
}

void measure_bulk(const Host& broker, const Host& shim, const Options& options) {
  constexpr std::size_t kLarge = 64 << 10, kSmall = 1 << 10;
  const Bulk on_broker = bulk(broker, options.broker_mib, kLarge, "");
  const Bulk on_shim = bulk(shim, options.shim_mib, kLarge, "");
  print_ratio("bulk_send_vs_preview2_shim", on_broker.send, on_shim.send,
              "guest TCP send bytes/s, broker over preview2-shim; higher is better");
  print_ratio("bulk_recv_vs_preview2_shim", on_broker.receive, on_shim.receive,
              "guest TCP receive bytes/s, broker over preview2-shim; higher is better");
  print_ratio("bulk_vs_preview2_shim", on_broker.combined(), on_shim.combined(),
              "guest TCP bytes/s both directions, broker over preview2-shim; higher is better");
  const Bulk small_broker = bulk(broker, options.broker_1k_mib, kSmall, "_1k");
  const Bulk small_shim = bulk(shim, options.shim_1k_mib, kSmall, "_1k");
  print_ratio("bulk_1k_vs_preview2_shim", small_broker.combined(), small_shim.combined(),
              "guest TCP bytes/s both directions in 1 KiB writes/reads, broker over "
              "preview2-shim; higher is better");
}

// Runs udp_send_peer once; returns the guest's own datagrams/s and prints what arrived.
double guest_udp_rate(const Host& host, std::uint64_t count) {
  constexpr std::size_t kSize = 64;
  UdpCounter counter;
  ChildProcess guest(runner_command(
      host, "udp_send_peer",
      {std::to_string(counter.port()), std::to_string(count), std::to_string(kSize)}), bench_child_options());
  const std::string output = guest.read_rest();
  const int status = guest.wait_for_exit();
  std::smatch match;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      !std::regex_search(output, match, std::regex(R"(sent=(\d+) elapsed_ns=(\d+))"))) {
    throw std::runtime_error(host.name + " udp_send_peer failed: " + output);
  }
  const std::uint64_t arrived = counter.wait_for_arrivals(count);
  print_figure(host.name + "_guest_udp_lost_datagrams", static_cast<double>(count - arrived),
               "datagrams");
  return std::stod(match[1]) / (std::stod(match[2]) / 1e9);
}

void measure_udp(const Host& broker, const Host& shim, const Options& options) {
  const double on_broker = guest_udp_rate(broker, options.datagrams);
  const double on_shim = guest_udp_rate(shim, options.datagrams);
  print_figure("broker_guest_udp_datagrams_per_s", on_broker, "datagrams/s");
  print_figure("shim_guest_udp_datagrams_per_s", on_shim, "datagrams/s");
  print_ratio("udp_datagrams_vs_preview2_shim", on_broker, on_shim,
              "64-byte datagrams/s sent by a guest, broker over preview2-shim; higher is better");
}

void measure_http(const Host& broker, const Host& shim, const Options& options) {
  const WrkResult on_broker = http_under_wrk(broker, options.http);
  const WrkResult on_shim = http_under_wrk(shim, options.http);
  print_figure("broker_http_requests_per_s", on_broker.requests_per_s, "req/s");
  print_figure("shim_http_requests_per_s", on_shim.requests_per_s, "req/s");
  print_figure("broker_http_p99_us", on_broker.p99_us, "us");
  print_figure("shim_http_p99_us", on_shim.p99_us, "us");
  print_ratio("http_rps_vs_preview2_shim", on_broker.requests_per_s, on_shim.requests_per_s,
              "HTTP guest requests/s under wrk, broker over preview2-shim; higher is better");
  // Latency is time-like: inverted so that higher stays better.
  print_ratio("http_p99_vs_preview2_shim", on_shim.p99_us, on_broker.p99_us,
              "shim p99 / broker p99 under wrk; inverted: >= 2 means the broker's p99 is at most "
              "half the shim's");
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  auto dir = std::filesystem::temp_directory_path() /
             ("wasi-socketd-guest-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::printf("load average %.2f (2 cores): figures are indicative unless it is below 1.5\n",
              load_average());
  try {
    wasi_socketd::testing::DaemonProcess daemon(
        wasi_socketd::testing::DaemonOptions{.socket_path = (dir / "broker.sock").string()});
    const Host broker{"broker",
                      {"--broker", daemon.socket_path(), "--cache-dir", (dir / "cache").string()}};
    const Host shim{"shim", {"--no-broker", "--cache-dir", (dir / "cache").string()}};
    // Warm the transpile cache so no run below pays for it.
    guest_bulk_rate(shim, "send", TcpSink().port(), 1, 64 << 10);
    measure_calls(broker, shim, options);
    measure_bulk(broker, shim, options);
    measure_http(broker, shim, options);
    measure_udp(broker, shim, options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "wasi-socketd-guest-bench: %s\n", error.what());
    std::filesystem::remove_all(dir);
    return 1;
  }
  std::filesystem::remove_all(dir);
  return 0;
}
