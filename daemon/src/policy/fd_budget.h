// How the daemon's file descriptors are shared out: the defaults of the fd-backed quotas
// (sockets per tenant and per session, sessions per tenant) follow the process's RLIMIT_NOFILE,
// so that no tenant left at its defaults can take every fd of the daemon.
//
// A reserve of max(64, limit / 8) fds is never part of any single tenant's default share: the
// daemon's own fds, the admin socket and other tenants' accepts live in it. Explicit quotas in a
// policy override the defaults (an operator may hand one tenant everything on purpose).
//
// Thread-safe: the limit is an atomic, set once at start (fd_limit.h) before the policy loads.
#pragma once

#include <cstdint>

namespace wasi_socketd::policy {

struct FdBudget {
  std::uint64_t limit = 0;                // soft RLIMIT_NOFILE
  std::uint64_t reserve = 0;              // never in one tenant's default share
  std::uint64_t tenant_sessions = 0;      // default [tenant.quotas] sessions
  std::uint64_t tenant_sockets = 0;       // default [tenant.quotas] sockets
  std::uint64_t sockets_per_session = 0;  // default [tenant.quotas] sockets_per_session: a quarter

  static FdBudget for_limit(std::uint64_t limit);
};

// The budget for the limit recorded by set_process_fd_limit(), or for the current soft limit.
FdBudget process_fd_budget();
void set_process_fd_limit(std::uint64_t limit);

}  // namespace wasi_socketd::policy
