// Raising the daemon's fd limit at start: every tenant socket is one daemon fd, so the soft
// RLIMIT_NOFILE (often 1024) would be the real cap. The soft limit goes up to the hard limit
// (systemd's LimitNOFILE= sets that), and the fd-backed quota defaults follow it
// (policy/fd_budget.h). Call once, before the policy is loaded; main thread.
#pragma once

#include <cstdint>

namespace wasi_socketd::daemon {

// Returns the soft limit now in force (unchanged, and logged, if raising it failed).
std::uint64_t raise_fd_limit();

}  // namespace wasi_socketd::daemon
