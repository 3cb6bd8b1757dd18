// An inclusive range of ports ("443", "8000-8999"). Value type; safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wasi_socketd::policy {

struct PortRange {
  uint16_t first = 0;
  uint16_t last = 65535;

  // "N" or "N-M" with 0 <= N <= M <= 65535; nullopt otherwise, and then `fault`, when given,
  // quotes the value, says what is wrong and how to write it.
  static std::optional<PortRange> parse(std::string_view text, std::string* fault = nullptr);
  static std::optional<PortRange> single(int64_t port, std::string* fault = nullptr);

  bool contains(uint16_t port) const { return port >= first && port <= last; }
  std::string to_string() const;
};

// Ports below 1024 other than 0 need a privileged-port grant to be bound (0 = "any free port").
constexpr bool is_privileged_port(uint16_t port) { return port != 0 && port < 1024; }

}  // namespace wasi_socketd::policy
