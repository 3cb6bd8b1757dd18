#include "wasi_socketd/client/error_code.h"

#include <array>
#include <cctype>
#include <string>

#include "proto_convert.h"

namespace wasi_socketd::client {

namespace {

constexpr std::size_t kCodeCount = static_cast<std::size_t>(ErrorCode::kSessionLost) + 1;

// The WIT name, spelled from the wire enum's (ERROR_CODE_ADDRESS_IN_USE -> address-in-use), so
// the proto stays the one list of error codes.
std::string wit_name(ErrorCode code) {
  if (code == ErrorCode::kSessionLost) return "session-lost";
  constexpr std::string_view kPrefix = "ERROR_CODE_";
  std::string name = v1::ErrorCode_Name(detail::to_proto(code)).substr(kPrefix.size());
  for (char& c : name) {
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

}  // namespace

std::string_view to_string(ErrorCode code) {
  static const std::array<std::string, kCodeCount> kNames = [] {
    std::array<std::string, kCodeCount> names;
    for (std::size_t i = 0; i < kCodeCount; ++i) names[i] = wit_name(static_cast<ErrorCode>(i));
    return names;
  }();
  const auto index = static_cast<std::size_t>(code);
  return index < kNames.size() ? kNames[index] : kNames[0];
}

}  // namespace wasi_socketd::client
