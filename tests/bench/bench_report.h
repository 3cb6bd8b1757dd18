// Small helpers every benchmark program shares: timing, medians and the report format.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace wasi_socketd::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

inline double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The 1-minute load average: printed beside figures, which mean little on a busy machine.
inline double load_average() {
  double load[1] = {0};
  return ::getloadavg(load, 1) == 1 ? load[0] : -1;
}

// One measured figure: "FIGURE name=value unit".
inline void print_figure(const std::string& name, double value, const std::string& unit) {
  std::printf("FIGURE %s=%.3f %s\n", name.c_str(), value, unit.c_str());
  std::fflush(stdout);
}

// A same-run ratio; higher is better by construction (speed-like figures on both sides).
inline void print_ratio(const std::string& name, double ours, double baseline,
                        const std::string& explanation) {
  std::printf("RATIO %s=%.3f  (%s)\n", name.c_str(), baseline > 0 ? ours / baseline : 0.0,
              explanation.c_str());
  std::fflush(stdout);
}

}  // namespace wasi_socketd::bench
