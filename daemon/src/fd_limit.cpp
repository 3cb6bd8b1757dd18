#include "fd_limit.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

#include "policy/fd_budget.h"

namespace wasi_socketd::daemon {

std::uint64_t raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("getrlimit(RLIMIT_NOFILE): {}", std::strerror(errno));
    return policy::process_fd_budget().limit;
  }
  if (limit.rlim_cur < limit.rlim_max) {
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      spdlog::warn("raising RLIMIT_NOFILE from {} to {}: {}", before, limit.rlim_max,
                   std::strerror(errno));
      limit.rlim_cur = before;
    }
  }
  const std::uint64_t soft = limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : limit.rlim_cur;
  policy::set_process_fd_limit(soft);
  const policy::FdBudget budget = policy::process_fd_budget();
  spdlog::info("fd limit {}: per-tenant defaults {} sockets, {} sessions; {} fds in reserve",
               budget.limit, budget.tenant_sockets, budget.tenant_sessions, budget.reserve);
  return soft;
}

}  // namespace wasi_socketd::daemon
