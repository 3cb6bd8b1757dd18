#include "policy/port_range.h"

#include <charconv>

namespace wasi_socketd::policy {
namespace {

enum class PortFault { none, not_a_number, out_of_range };

PortFault parse_port(std::string_view digits, uint16_t& port) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || end != digits.data() + digits.size()) return PortFault::not_a_number;
  if (error != std::errc() || value > 65535) return PortFault::out_of_range;
  port = static_cast<uint16_t>(value);
  return PortFault::none;
}

std::optional<PortRange> explain(std::string* fault, std::string why) {
  if (fault != nullptr) *fault = std::move(why);
  return std::nullopt;
}

std::string out_of_range(std::string_view value) {
  return "port " + std::string(value) + " is out of range: a port is 0-65535";
}

}  // namespace

std::optional<PortRange> PortRange::parse(std::string_view text, std::string* fault) {
  const auto dash = text.find('-');
  const std::string_view first_text = text.substr(0, dash);
  const std::string_view last_text =
      dash == std::string_view::npos ? first_text : text.substr(dash + 1);
  uint16_t first = 0;
  uint16_t last = 0;
  for (const auto& [part, port] : {std::pair{first_text, &first}, std::pair{last_text, &last}}) {
    switch (parse_port(part, *port)) {
      case PortFault::none:
        break;
      case PortFault::not_a_number:
        return explain(fault, "'" + std::string(text) +
                                  "' is not a port: write a number 0-65535 or a range \"N-M\"");
      case PortFault::out_of_range:
        return explain(fault, part == text
                                  ? out_of_range(part)
                                  : out_of_range(part) + " (in '" + std::string(text) + "')");
    }
  }
  if (first > last) {
    return explain(fault, "port range '" + std::string(text) + "' is reversed (" +
                              std::to_string(first) + " > " + std::to_string(last) + "): write \"" +
                              std::to_string(last) + "-" + std::to_string(first) + "\"");
  }
  return PortRange{first, last};
}

std::optional<PortRange> PortRange::single(int64_t port, std::string* fault) {
  if (port < 0 || port > 65535) return explain(fault, out_of_range(std::to_string(port)));
  return PortRange{static_cast<uint16_t>(port), static_cast<uint16_t>(port)};
}

std::string PortRange::to_string() const {
  if (first == last) return std::to_string(first);
  return std::to_string(first) + "-" + std::to_string(last);
}

}  // namespace wasi_socketd::policy
