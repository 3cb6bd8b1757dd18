#include "output.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <ctime>
#include <sstream>
#include <vector>

namespace wasi_socketd::daemon::ctl {
namespace {

using Row = std::vector<std::string>;

// Left-aligned columns, two spaces apart; the first row is the header.
std::string table(const std::vector<Row>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string utc_time(std::int64_t unix_seconds) {
  if (unix_seconds <= 0) return "-";
  const std::time_t time = unix_seconds;
  std::tm utc{};
  ::gmtime_r(&time, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string duration(std::uint64_t seconds) {
  std::ostringstream out;
  if (seconds >= 86400) out << seconds / 86400 << "d ";
  if (seconds >= 3600) out << (seconds % 86400) / 3600 << "h ";
  if (seconds >= 60) out << (seconds % 3600) / 60 << "m ";
  out << seconds % 60 << "s";
  return out.str();
}

std::string or_dash(const std::string& text) { return text.empty() ? "-" : text; }

const char* protocol_name(admin::v1::SocketProtocol protocol) {
  switch (protocol) {
    case admin::v1::SOCKET_PROTOCOL_TCP:
      return "tcp";
    case admin::v1::SOCKET_PROTOCOL_UDP:
      return "udp";
    default:
      return "?";
  }
}

}  // namespace

std::string as_json(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

namespace {

std::vector<Row> policy_rows(const admin::v1::PolicyInfo& policy) {
  std::string tenants;
  for (const auto& tenant : policy.tenants()) tenants += (tenants.empty() ? "" : ", ") + tenant;
  return {{"policy:", or_dash(policy.source())},
          {"generation:", std::to_string(policy.generation())},
          {"loaded:", utc_time(policy.loaded_at_unix_seconds())},
          {"tenants:", or_dash(tenants)}};
}

}  // namespace

std::string format_policy(const admin::v1::PolicyInfo& policy) {
  return table(policy_rows(policy));
}

std::string format_status(const admin::v1::GetStatusResponse& status) {
  std::string listeners;
  for (const auto& path : status.listeners()) listeners += (listeners.empty() ? "" : ", ") + path;
  std::vector<Row> rows{
      {"wasi-socketd", status.version()},
      {"state:", status.draining() ? "draining" : "running"},
      {"pid:", std::to_string(status.pid())},
      {"uptime:", duration(status.uptime_seconds())},
      {"listening:", or_dash(listeners) + (status.socket_activated() ? " (socket-activated)" : "")},
      {"admin socket:", or_dash(status.admin_socket())},
      {"metrics http:", or_dash(status.metrics_http())},
      {"sessions:", std::to_string(status.sessions())},
      {"sockets:", std::to_string(status.sockets())}};
  for (auto& row : policy_rows(status.policy())) rows.push_back(std::move(row));
  return table(rows);
}

std::string format_sessions(const admin::v1::ListSessionsResponse& sessions) {
  std::vector<Row> rows{
      {"SESSION", "TENANT", "LISTENER", "UID", "GID", "PID", "SOCKETS", "OPENED"}};
  for (const auto& session : sessions.sessions()) {
    rows.push_back({std::to_string(session.session()), session.tenant(), session.listener(),
                    std::to_string(session.uid()), std::to_string(session.gid()),
                    std::to_string(session.pid()), std::to_string(session.sockets()),
                    utc_time(session.opened_at_unix_seconds())});
  }
  return table(rows);
}

std::string format_sockets(const admin::v1::ListSocketsResponse& sockets) {
  std::vector<Row> rows{{"SESSION", "TENANT", "ID", "PROTO", "STATE", "LOCAL", "REMOTE"}};
  for (const auto& socket : sockets.sockets()) {
    rows.push_back({std::to_string(socket.session()), socket.tenant(),
                    std::to_string(socket.socket_id()), protocol_name(socket.protocol()),
                    socket.state(), or_dash(socket.local_address()),
                    or_dash(socket.remote_address())});
  }
  return table(rows);
}

std::string format_stats(const std::string& exposition) {
  std::istringstream lines(exposition);
  std::string out;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != '#') out += line + "\n";
  }
  return out;
}

}  // namespace wasi_socketd::daemon::ctl
