// Pings the systemd watchdog from the daemon's event loop, so a wedged loop gets the daemon
// restarted (WatchdogSec= in the unit).
//
// Lives on the io_context it is given: the pings run on its threads, and stop() may run on any
// thread, another io thread included (shut_down() posts it). A mutex, held for the timer's
// re-arming and never for a ping, serialises them (Asio timers are not thread-safe): after stop()
// the timer is never re-armed, and only a ping already under way may still be sent.
// The object must outlive every handler it scheduled (call stop() before destroying it).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <mutex>
#include <optional>

namespace wasi_socketd::systemd {

class Watchdog {
 public:
  explicit Watchdog(boost::asio::io_context& io);

  // The interval systemd expects pings within (WATCHDOG_USEC for this pid), if any.
  static std::optional<std::chrono::microseconds> interval_from_environment();

  // Pings every interval/2 while the loop runs. Does nothing when no watchdog is configured.
  void start();
  void stop();
  bool running() const;

 private:
  void schedule();  // mutex_ held

  boost::asio::steady_timer timer_;
  std::chrono::microseconds period_{0};
  mutable std::mutex mutex_;  // guards timer_ and running_
  bool running_ = false;
};

}  // namespace wasi_socketd::systemd
