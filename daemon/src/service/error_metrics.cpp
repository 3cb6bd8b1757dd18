#include "error_metrics.h"

#include <cctype>
#include <string>

#include "admin/daemon_metrics.h"

namespace wasi_socketd::daemon {
namespace {

// ERROR_CODE_CONNECTION_REFUSED -> connection-refused, the WIT's spelling.
std::string wit_name(v1::ErrorCode error) {
  std::string name = v1::ErrorCode_Name(error);
  constexpr std::string_view prefix = "ERROR_CODE_";
  if (name.starts_with(prefix)) name.erase(0, prefix.size());
  for (char& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
  return name;
}

}  // namespace

void count_error(const Session& session, v1::ErrorCode error) {
  if (error == v1::ERROR_CODE_UNSPECIFIED || !session.tenant().metrics) {
    return;
  }
  // would-block is how non-blocking I/O says "not yet": normal traffic, not a failure.
  if (error == v1::ERROR_CODE_WOULD_BLOCK) return session.tenant().metrics->would_block();
  session.tenant().metrics->error(wit_name(error));
}

}  // namespace wasi_socketd::daemon
