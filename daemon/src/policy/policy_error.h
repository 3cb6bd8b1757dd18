// Why a policy file was rejected, with the position of the offending text. Value type.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace wasi_socketd::policy {

struct PolicyError {
  std::string file;
  uint32_t line = 0;    // 1-based; 0 when the whole file is at fault (e.g. unreadable)
  uint32_t column = 0;  // 1-based
  std::string message;

  // "FILE:LINE:COLUMN: MESSAGE" (or "FILE: MESSAGE" without a position).
  std::string to_string() const;
};

// Thrown inside the loader and caught at its boundary; never escapes load_policy_*().
class PolicyErrorException : public std::runtime_error {
 public:
  explicit PolicyErrorException(PolicyError error)
      : std::runtime_error(error.to_string()), error_(std::move(error)) {}
  const PolicyError& error() const { return error_; }

 private:
  PolicyError error_;
};

}  // namespace wasi_socketd::policy
