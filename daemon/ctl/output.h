// How wasi-socketctl prints answers: aligned text for people, JSON (protobuf's mapping) for
// scripts. Pure functions of the responses.
#pragma once

#include <string>

#include <google/protobuf/message.h>

#include "wasi_socketd/admin/v1/admin.pb.h"

namespace wasi_socketd::daemon::ctl {

std::string as_json(const google::protobuf::Message& message);

std::string format_status(const admin::v1::GetStatusResponse& status);
std::string format_sessions(const admin::v1::ListSessionsResponse& sessions);
std::string format_sockets(const admin::v1::ListSocketsResponse& sockets);
std::string format_policy(const admin::v1::PolicyInfo& policy);
// The samples of a Prometheus exposition, without its # HELP / # TYPE lines.
std::string format_stats(const std::string& exposition);

}  // namespace wasi_socketd::daemon::ctl
