#include "admin/prometheus_text.h"

#include <cmath>
#include <cstdio>

namespace wasi_socketd::daemon::prometheus {
namespace {

void append_escaped(std::string& out, const std::string& text, bool escape_quotes) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && escape_quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

}  // namespace

void append_header(std::string& out, const std::string& name, const std::string& help,
                   const char* type) {
  out += "# HELP " + name + " ";
  append_escaped(out, help, /*escape_quotes=*/false);
  out += "\n# TYPE " + name + " " + type + "\n";
}

void append_sample(std::string& out, const std::string& name,
                   const std::vector<std::string>& label_names,
                   const std::vector<std::string>& label_values, const std::string& value) {
  out += name;
  if (!label_names.empty()) {
    out += '{';
    for (std::size_t i = 0; i < label_names.size(); ++i) {
      if (i > 0) out += ',';
      out += label_names[i] + "=\"";
      append_escaped(out, i < label_values.size() ? label_values[i] : "", /*escape_quotes=*/true);
      out += '"';
    }
    out += '}';
  }
  out += ' ' + value + '\n';
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
  }
  return buffer;
}

}  // namespace wasi_socketd::daemon::prometheus
