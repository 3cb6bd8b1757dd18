#include "policy/policy_error.h"

namespace wasi_socketd::policy {

std::string PolicyError::to_string() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

}  // namespace wasi_socketd::policy
