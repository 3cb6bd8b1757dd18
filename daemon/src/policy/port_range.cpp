#include "policy/port_range.h"

#include <charconv>

namespace wasi_socketd::policy {
namespace {

std::optional<uint16_t> parse_port(std::string_view digits) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

std::optional<PortRange> PortRange::parse(std::string_view text) {
  const auto dash = text.find('-');
  const auto first = parse_port(text.substr(0, dash));
  const auto last = dash == std::string_view::npos ? first : parse_port(text.substr(dash + 1));
  if (!first || !last || *first > *last) return std::nullopt;
  return PortRange{*first, *last};
}

std::optional<PortRange> PortRange::single(int64_t port) {
  if (port < 0 || port > 65535) return std::nullopt;
  return PortRange{static_cast<uint16_t>(port), static_cast<uint16_t>(port)};
}

std::string PortRange::to_string() const {
  if (first == last) return std::to_string(first);
  return std::to_string(first) + "-" + std::to_string(last);
}

}  // namespace wasi_socketd::policy
