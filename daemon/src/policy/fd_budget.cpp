#include "policy/fd_budget.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>

namespace wasi_socketd::policy {
namespace {

constexpr std::uint64_t kMinReserve = 64;
constexpr std::uint64_t kMaxDefaultSessions = 4096;

std::atomic<std::uint64_t> recorded_limit{0};

std::uint64_t current_soft_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1024;
  return limit.rlim_cur;
}

}  // namespace

FdBudget FdBudget::for_limit(std::uint64_t limit) {
  FdBudget budget;
  budget.limit = limit;
  budget.reserve = std::min(limit, std::max(kMinReserve, limit / 8));
  const std::uint64_t share = limit - budget.reserve;
  // A session costs the daemon one fd (its connection), a socket one fd: together within share.
  budget.tenant_sessions = std::max<std::uint64_t>(1, std::min(kMaxDefaultSessions, share / 16));
  budget.tenant_sockets = share - std::min(share, budget.tenant_sessions);
  // A quarter: one session of a tenant at its defaults leaves room for the tenant's others.
  budget.sockets_per_session = std::max<std::uint64_t>(1, budget.tenant_sockets / 4);
  return budget;
}

FdBudget process_fd_budget() {
  const std::uint64_t limit = recorded_limit.load();
  return FdBudget::for_limit(limit != 0 ? limit : current_soft_limit());
}

void set_process_fd_limit(std::uint64_t limit) { recorded_limit.store(limit); }

}  // namespace wasi_socketd::policy
