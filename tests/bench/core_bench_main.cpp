// wasi-socketd-bench: the broker core against its baselines, measured in one run.
//
//   control: a broker control call (round trips/s) vs a bare gRPC unary echo (round trips/s),
//            both over a Unix socket to a separate process using gRPC's callback server API;
//   bulk:    TCP bytes/s from a client through the broker to a loopback sink vs the same bytes
//            over plain loopback TCP (and, for reference, a plain Unix socket pair), in 64 KiB
//            and in 1 KiB writes;
//   udp:     64-byte datagrams/s through a broker UDP socket vs native sendto() to the same
//            counting receiver.
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
#include "native_udp.h"

using namespace wasi_socketd::bench;

namespace {

struct Options {
  int calls = 5000;
  std::uint64_t bulk_bytes = 512ull << 20;
  std::uint64_t bulk_1k_bytes = 64ull << 20;
  std::uint64_t datagrams = 200000;
  int repeats = 3;
  bool control = true;  // --part selects one path (for profiling one path at a time)
  bool bulk = true;
  bool udp = true;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--quick") {
      options.calls = 1000;
      options.bulk_bytes = 64ull << 20;
      options.bulk_1k_bytes = 8ull << 20;
      options.datagrams = 20000;
      options.repeats = 1;
    } else if (arg.starts_with("--part=")) {
      const std::string part = arg.substr(7);
      options.control = part == "control";
      options.bulk = part == "bulk";
      options.udp = part == "udp";
      if (!options.control && !options.bulk && !options.udp) {
        std::fprintf(stderr, "unknown part %s (see --help)\n", part.c_str());
        std::exit(2);
      }
    } else if (arg == "--help" || arg == "-h") {
      std::printf(
          "usage: wasi-socketd-bench [--quick] [--part=control|bulk|udp]\n"
          "Measures the broker against same-run baselines and prints FIGURE and RATIO lines.\n"
          "  RATIO control_rtt_vs_grpc_echo  broker control calls/s / bare gRPC echo calls/s\n"
          "  RATIO bulk_vs_loopback_tcp      broker TCP bytes/s / plain loopback TCP bytes/s\n"
          "                                  (64 KiB writes)\n"
          "  RATIO bulk_1k_vs_loopback_tcp   the same with 1 KiB writes\n"
          "  RATIO udp_datagrams_vs_native   64-byte datagrams/s received from a broker UDP\n"
          "        socket (64 per send call) / from native sendto() (one per call)\n"
          "  --quick  fewer calls, bytes and datagrams, one repeat (for smoke tests)\n"
          "  --part=control, --part=bulk, --part=udp  measure only that path (for profiling)\n");
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

  constexpr std::size_t kSmallChunk = 1 << 10;
  const double tcp_1k = median_of(options.repeats, [&] {
    return loopback_tcp_throughput(sink, options.bulk_1k_bytes, kSmallChunk);
  });
  const double broker_1k = median_of(options.repeats, [&] {
    return broker_tcp_throughput(session, sink, options.bulk_1k_bytes, kSmallChunk);
  });
  print_figure("loopback_tcp_1k_bytes_per_s", tcp_1k, "B/s");
  print_figure("broker_tcp_1k_bytes_per_s", broker_1k, "B/s");
  print_ratio("bulk_1k_vs_loopback_tcp", broker_1k, tcp_1k,
              "broker TCP bytes/s over plain loopback TCP bytes/s, 1 KiB writes; higher is better");
}

void measure_udp(const Options& options,
                 const std::shared_ptr<wasi_socketd::client::Session>& session) {
  constexpr std::size_t kSize = 64, kBatch = 64;
  UdpCounter counter;
  std::uint64_t native_lost = 0, broker_lost = 0;
  const double native = median_of(options.repeats, [&] {
    const auto rate = native_udp_rate(counter, options.datagrams, kSize);
    native_lost += rate.lost;
    return rate.datagrams_per_s;
  });
  const double broker = median_of(options.repeats, [&] {
    const auto rate = broker_udp_rate(session, counter, options.datagrams, kSize, kBatch);
    broker_lost += rate.lost;
    return rate.datagrams_per_s;
  });
  print_figure("native_udp_datagrams_per_s", native, "datagrams/s");
  print_figure("broker_udp_datagrams_per_s", broker, "datagrams/s");
  // Loopback UDP drops what the receiver cannot take; the rates count what arrived.
  print_figure("native_udp_lost_datagrams", static_cast<double>(native_lost), "datagrams");
  print_figure("broker_udp_lost_datagrams", static_cast<double>(broker_lost), "datagrams");
  print_ratio("udp_datagrams_vs_native", broker, native,
              "64-byte datagrams/s received, broker UDP socket over native sendto(); higher is "
              "better");
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
  if (options.udp) {
    measure_udp(options, session);
  }
  session->close();
  std::filesystem::remove_all(dir);
  return 0;
}
