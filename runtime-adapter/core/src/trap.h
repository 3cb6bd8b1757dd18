// Trap: what the WIT says must abort the guest. Thrown inside the host, turned into WSD_TRAP at
// the C ABI boundary (abi_call.h) with its message.
#pragma once

#include <string>

namespace wasi_socketd::adapter {

struct Trap {
  std::string message;
};

[[noreturn]] inline void trap(std::string message) { throw Trap{std::move(message)}; }

inline constexpr const char* kBrokerLost = "wasi-socketd: connection to broker lost";

}  // namespace wasi_socketd::adapter
