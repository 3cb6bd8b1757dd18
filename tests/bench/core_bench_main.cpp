// wasi-socketd-bench: the broker core against its baselines, measured in one run.
//
//   control: a broker control call (round trips/s) vs a bare gRPC unary echo (round trips/s),
//            both over a Unix socket to a separate process using gRPC's callback server API;
//   bulk:    TCP bytes/s from a client through the broker to a loopback sink vs the same bytes
//            over plain loopback TCP (and, for reference, a plain Unix socket pair).
// Every figure is speed-like (higher is better), so every RATIO is broker / baseline.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_report.h"
#include "broker_paths.h"
#include "daemon_process.h"
#include "grpc_echo.h"
#include "native_bulk.h"

using namespace wasi_socketd::bench;

namespace {

struct Options {
  int calls = 5000;
  std::uint64_t bulk_bytes = 512ull << 20;
  int repeats = 3;
  bool control = true;  // --part selects one half (for profiling one path at a time)
  bool bulk = true;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--quick") {
      options.calls = 1000;
      options.bulk_bytes = 64ull << 20;
      options.repeats = 1;
    } else if (arg == "--part=control") {
      options.bulk = false;
    } else if (arg == "--part=bulk") {
      options.control = false;
    } else if (arg == "--help" || arg == "-h") {
      std::printf(
          "usage: wasi-socketd-bench [--quick] [--part=control|--part=bulk]\n"
          "Measures the broker against same-run baselines and prints FIGURE and RATIO lines.\n"
          "  RATIO control_rtt_vs_grpc_echo  broker control calls/s / bare gRPC echo calls/s\n"
          "  RATIO bulk_vs_loopback_tcp      broker TCP bytes/s / plain loopback TCP bytes/s\n"
          "  --quick  fewer calls and bytes, one repeat (for smoke tests)\n"
          "  --part=control, --part=bulk  measure only that path (for profiling)\n");
      std::exit(0);
    } else {
      std::fprintf(stderr, "unknown argument %s (see --help)\n", argv[i]);
      std::exit(2);
    }
  }
  return options;
}

template <typename F>
double median_of(int repeats, F&& measure) {
  std::vector<double> runs;
  for (int i = 0; i < repeats; ++i) runs.push_back(measure());
  return median(runs);
}

// The echo measured while this process has no broker session, i.e. without the session's reader
// thread, which also waits in gRPC's poller and so takes part in every call's wake-ups. Printed
// for reference next to the same-conditions ratio below.
double echo_alone(const Options& options, const std::string& echo_socket) {
  return median_of(options.repeats,
                   [&] { return echo_calls_per_second(echo_socket, options.calls); });
}

void measure_control(const Options& options, const std::string& echo_socket,
                     const std::shared_ptr<wasi_socketd::client::Session>& session,
                     double echo_alone_rate) {
  double echo_rate =
      median_of(options.repeats, [&] { return echo_calls_per_second(echo_socket, options.calls); });
  double broker_rate = median_of(
      options.repeats, [&] { return broker_control_calls_per_second(session, options.calls); });
  print_figure("grpc_echo_calls_per_s", echo_rate, "calls/s");
  print_figure("grpc_echo_alone_calls_per_s", echo_alone_rate, "calls/s");
  print_figure("broker_control_calls_per_s", broker_rate, "calls/s");
  print_ratio("control_rtt_vs_grpc_echo", broker_rate, echo_rate,
              "broker control calls/s over bare gRPC echo calls/s, both from this process with "
              "one broker session open; higher is better");
  print_ratio("control_rtt_vs_grpc_echo_alone", broker_rate, echo_alone_rate,
              "reference: over the echo measured before the session existed");
}

void measure_bulk(const Options& options,
                  const std::shared_ptr<wasi_socketd::client::Session>& session) {
  TcpSink sink;
  constexpr std::size_t kChunk = 64 << 10;
  double tcp_rate = median_of(
      options.repeats, [&] { return loopback_tcp_throughput(sink, options.bulk_bytes, kChunk); });
  double unix_rate = median_of(options.repeats,
                               [&] { return unix_socket_throughput(options.bulk_bytes, kChunk); });
  double broker_bulk = median_of(options.repeats, [&] {
    return broker_tcp_throughput(session, sink, options.bulk_bytes, kChunk);
  });
  print_figure("loopback_tcp_bytes_per_s", tcp_rate, "B/s");
  print_figure("unix_socket_bytes_per_s", unix_rate, "B/s");
  print_figure("broker_tcp_bytes_per_s", broker_bulk, "B/s");
  print_ratio("bulk_vs_loopback_tcp", broker_bulk, tcp_rate,
              "broker TCP bytes/s over plain loopback TCP bytes/s; higher is better");
  print_ratio("bulk_vs_unix_socket", broker_bulk, unix_rate,
              "broker TCP bytes/s over a plain Unix socket pair; higher is better");
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  auto dir =
      std::filesystem::temp_directory_path() / ("wasi-socketd-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // Fork the echo server before this process touches gRPC.
  std::string echo_socket = (dir / "echo.sock").string();
  pid_t echo = start_echo_server(echo_socket);
  (void)echo;

  const double echo_alone_rate = options.control ? echo_alone(options, echo_socket) : 0;

  wasi_socketd::testing::DaemonProcess daemon(
      wasi_socketd::testing::DaemonOptions{.socket_path = (dir / "broker.sock").string()});
  std::string error;
  auto session = wasi_socketd::client::Session::open({daemon.socket_path()}, &error);
  if (!session) {
    std::fprintf(stderr, "cannot open a broker session: %s\n", error.c_str());
    return 1;
  }

  if (options.control) {
    measure_control(options, echo_socket, session, echo_alone_rate);
  }
  if (options.bulk) {
    measure_bulk(options, session);
  }
  session->close();
  std::filesystem::remove_all(dir);
  return 0;
}
