#include "fd_limit.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "policy/fd_budget.h"

namespace wasi_socketd::daemon {

std::uint64_t raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("getrlimit(RLIMIT_NOFILE): {}", std::strerror(errno));
    return policy::process_fd_budget().limit;
  }
  // An unlimited hard limit cannot be the soft one: the kernel caps fds at fs.nr_open.
  rlim_t wanted = limit.rlim_max;
  if (wanted == RLIM_INFINITY) {
    std::ifstream nr_open("/proc/sys/fs/nr_open");
    unsigned long long cap = 1048576;
    nr_open >> cap;
    wanted = static_cast<rlim_t>(cap);
  }
  if (limit.rlim_cur < wanted) {
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = wanted;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      spdlog::warn("raising RLIMIT_NOFILE from {} to {}: {}", before, wanted, std::strerror(errno));
      limit.rlim_cur = before;
    }
  }
  const std::uint64_t soft = limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : limit.rlim_cur;
  policy::set_process_fd_limit(soft);
  const policy::FdBudget budget = policy::process_fd_budget();
  spdlog::info(
      "fd limit {}: per-tenant defaults {} sockets ({} per session), {} sessions; {} fds in "
      "reserve",
      budget.limit, budget.tenant_sockets, budget.sockets_per_session, budget.tenant_sessions,
      budget.reserve);
  return soft;
}

}  // namespace wasi_socketd::daemon
