// What the daemon does at the kernel boundary while some work runs: strace -f attached to it.
// A count, not a clock: which fds its syscalls name and how many syscalls it makes.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <set>

namespace wasi_socketd::bench {

struct DaemonTouches {
  std::size_t syscalls = 0;  // network and descriptor syscalls (strace's %network and %desc)
  std::set<int> fds;         // the fds they named as their first argument
};

// Attaches strace to every thread of `pid`, runs `work`, detaches. Throws if strace cannot
// attach (not installed, or ptrace not permitted).
DaemonTouches trace_daemon(pid_t pid, const std::function<void()>& work);

}  // namespace wasi_socketd::bench
