// Pings the systemd watchdog from the daemon's event loop, so a wedged loop gets the daemon
// restarted (WatchdogSec= in the unit).
//
// Lives on the io_context it is given: start(), stop() and the pings all run on that context's
// thread(s); the object must outlive every handler it scheduled (call stop() before destroying it).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
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
  bool running() const { return running_; }

 private:
  void schedule();

  boost::asio::steady_timer timer_;
  std::chrono::microseconds period_{0};
  bool running_ = false;
};

}  // namespace wasi_socketd::systemd
