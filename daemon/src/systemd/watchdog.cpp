#include "systemd/watchdog.h"

#include <systemd/sd-daemon.h>

#include "systemd/notifier.h"

namespace wasi_socketd::systemd {

Watchdog::Watchdog(boost::asio::io_context& io) : timer_(io) {}

std::optional<std::chrono::microseconds> Watchdog::interval_from_environment() {
  uint64_t usec = 0;
  // unset_environment=0: the daemon never spawns children that should inherit it anyway.
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec);
}

void Watchdog::start() {
  const auto interval = interval_from_environment();
  if (!interval) return;
  // Half the interval is what sd_watchdog_enabled(3) recommends: one late ping is tolerated.
  period_ = *interval / 2;
  Notifier::watchdog();
  std::lock_guard lock(mutex_);
  running_ = true;
  schedule();
}

void Watchdog::stop() {
  std::lock_guard lock(mutex_);
  running_ = false;
  timer_.cancel();
}

bool Watchdog::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

void Watchdog::schedule() {
  timer_.expires_after(period_);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || !running()) return;
    // Not under the mutex: sd_notify may block while the manager's queue is full, and stop()
    // must not wait for that. A ping already past this check may land after stop().
    Notifier::watchdog();
    std::lock_guard lock(mutex_);
    if (running_) schedule();
  });
}

}  // namespace wasi_socketd::systemd
