// wasi-socketctl's connection to the daemon's admin socket.
//
// One channel per process; each call has a deadline so a wedged daemon cannot hang the CLI.
// Single-threaded.
#pragma once

#include <memory>
#include <string>

#include "wasi_socketd/admin/v1/admin.grpc.pb.h"

namespace wasi_socketd::daemon::ctl {

// Why a command failed; main turns it into a message and an exit code.
struct CommandError {
  int exit_code;
  std::string message;
};

// Exit codes (documented in wasi-socketctl --help and docs/OPERATIONS.md).
inline constexpr int kExitFailed = 1;  // the daemon answered "no" (bad policy, reload rejected)
inline constexpr int kExitUnreachable = 3;  // no daemon on the admin socket, or not allowed in

class AdminClient {
 public:
  AdminClient(const std::string& socket_path, int timeout_seconds);

  admin::v1::GetStatusResponse status();
  admin::v1::ListSessionsResponse sessions();
  admin::v1::ListSocketsResponse sockets(const std::string& tenant);
  admin::v1::CheckPolicyResponse check_policy(const std::string& source_name,
                                              const std::string& text);
  admin::v1::ReloadPolicyResponse reload_policy();
  std::string metrics();

 private:
  // Runs one unary call with a deadline; throws CommandError when the call fails.
  template <class Request, class Response, class Method>
  Response call(Method method, const Request& request);

  std::string socket_path_;
  int timeout_seconds_;
  std::unique_ptr<admin::v1::Admin::Stub> stub_;
};

}  // namespace wasi_socketd::daemon::ctl
