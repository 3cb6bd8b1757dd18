// Drives an HTTP server on 127.0.0.1 with wrk (apt install wrk) and reads its report.
#pragma once

#include <cstdint>
#include <string>

namespace wasi_socketd::bench {

struct WrkLoad {
  int threads = 1;
  int connections = 16;
  int seconds = 2;
  std::string path = "/";
};

struct WrkResult {
  double requests_per_s = 0;
  double p99_us = 0;    // from --latency's distribution
  bool errors = false;  // wrk counted socket errors or non-2xx responses
  std::string report;   // wrk's whole output
};

// Runs /usr/bin/wrk --latency against http://127.0.0.1:port/path; throws if wrk printed no
// request rate or no 99th percentile.
WrkResult run_wrk(std::uint16_t port, const WrkLoad& load);

}  // namespace wasi_socketd::bench
