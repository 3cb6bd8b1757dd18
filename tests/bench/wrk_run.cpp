#include "wrk_run.h"

#include <regex>
#include <stdexcept>

#include "child_process.h"
#include "runner_host.h"

namespace wasi_socketd::bench {
namespace {

// wrk prints latencies as a number and a unit: us, ms, s (or m for minutes).
double to_microseconds(double value, const std::string& unit) {
  if (unit == "us") return value;
  if (unit == "ms") return value * 1e3;
  if (unit == "s") return value * 1e6;
  if (unit == "m") return value * 60e6;
  throw std::runtime_error("wrk printed an unknown latency unit: " + unit);
}

}  // namespace

WrkResult run_wrk(std::uint16_t port, const WrkLoad& load) {
  ChildProcess wrk({"/usr/bin/wrk", "--latency", "-t" + std::to_string(load.threads),
                    "-c" + std::to_string(load.connections),
                    "-d" + std::to_string(load.seconds) + "s",
                    "http://127.0.0.1:" + std::to_string(port) + load.path}, bench_child_options());
  WrkResult result;
  result.report = wrk.read_rest();
  wrk.wait_for_exit();
  // wrk prints these lines only when something went wrong.
  result.errors = result.report.find("Non-2xx") != std::string::npos ||
                  result.report.find("Socket errors") != std::string::npos;
  std::smatch match;
  if (!std::regex_search(result.report, match, std::regex(R"(Requests/sec:\s+([0-9.]+))"))) {
    throw std::runtime_error("wrk printed no request rate: " + result.report);
  }
  result.requests_per_s = std::stod(match[1]);
  if (!std::regex_search(result.report, match,
                         std::regex(R"(\n\s+99%\s+([0-9.]+)(us|ms|s|m)\b)"))) {
    throw std::runtime_error("wrk printed no 99th percentile: " + result.report);
  }
  result.p99_us = to_microseconds(std::stod(match[1]), match[2]);
  return result;
}

}  // namespace wasi_socketd::bench
