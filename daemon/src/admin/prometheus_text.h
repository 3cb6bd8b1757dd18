// The Prometheus text exposition format (0.0.4), one metric family at a time. Pure functions.
#pragma once

#include <string>
#include <vector>

namespace wasi_socketd::daemon::prometheus {

inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

// "# HELP name help\n# TYPE name type\n"; help text escaped (\\ and \n).
void append_header(std::string& out, const std::string& name, const std::string& help,
                   const char* type);

// "name{a="x",b="y"} value\n"; label values escaped (\\, \" and \n); no braces without labels.
void append_sample(std::string& out, const std::string& name,
                   const std::vector<std::string>& label_names,
                   const std::vector<std::string>& label_values, const std::string& value);

// Integral values print without a fraction; others with enough digits to round-trip.
std::string format_value(double value);

}  // namespace wasi_socketd::daemon::prometheus
