// What the admin service asks the running daemon. The daemon's wiring (main) implements it over
// its session registry, policy store and metrics; the admin service only validates and forwards.
//
// Threading: called on gRPC server threads, possibly concurrently; implementations synchronise
// with the daemon's own threads themselves and must not block for long.
#pragma once

#include <string>

#include "wasi_socketd/admin/v1/admin.pb.h"

namespace wasi_socketd::daemon {

class AdminBackend {
 public:
  virtual ~AdminBackend() = default;

  virtual admin::v1::GetStatusResponse status() = 0;
  virtual admin::v1::ListSessionsResponse sessions() = 0;
  // `tenant` empty: every tenant's sockets.
  virtual admin::v1::ListSocketsResponse sockets(const std::string& tenant) = 0;
  virtual admin::v1::CheckPolicyResponse check_policy(const std::string& source_name,
                                                      const std::string& text) = 0;
  virtual admin::v1::ReloadPolicyResponse reload_policy() = 0;
  // Prometheus text format.
  virtual std::string metrics_text() = 0;
};

}  // namespace wasi_socketd::daemon
