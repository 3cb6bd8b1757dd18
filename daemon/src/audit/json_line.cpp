#include "audit/json_line.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace wasi_socketd::audit {
namespace {

// Insertion-ordered so that every line lists its fields in the same, documented order.
using Json = nlohmann::ordered_json;

// UTF-8 kept as is (no \u escapes for valid text); invalid bytes become U+FFFD so every line stays
// JSON whatever a tenant put into a name.
std::string dump(const Json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

// RFC 3339 in UTC with milliseconds: 2026-11-26T17:30:44.123Z.
std::string format_time(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", fmt::gmtime(std::time_t{seconds.count()}),
                     millis.count());
}

}  // namespace

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::allow:
      return "allow";
    case Outcome::would_deny:
      return "would-deny";
    case Outcome::deny:
      break;
  }
  return "deny";
}

std::string json_escape(std::string_view text) {
  const auto quoted = dump(Json(std::string(text)));
  return quoted.substr(1, quoted.size() - 2);
}

std::string to_json_line(const AuditEvent& event) {
  Json line;
  line["time"] = format_time(event.time);
  line["tenant"] = event.tenant;
  line["uid"] = event.uid;
  line["gid"] = event.gid;
  line["pid"] = event.pid;
  line["operation"] = event.operation;
  if (!event.address.empty()) line["address"] = event.address;
  if (!event.name.empty()) line["name"] = event.name;
  if (!event.target.empty()) line["target"] = event.target;
  line["rule"] = event.rule;
  line["outcome"] = outcome_name(event.outcome);
  if (event.suppressed != 0) line["suppressed"] = event.suppressed;
  return dump(line);
}

}  // namespace wasi_socketd::audit
