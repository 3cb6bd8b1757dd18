// Tells the service manager about the daemon's life cycle (sd_notify protocol).
//
// Every call is a no-op when NOTIFY_SOCKET is unset (not started by systemd), so the daemon calls
// them unconditionally. Stateless and thread-safe: each call sends one datagram.
#pragma once

#include <string_view>

namespace wasi_socketd::systemd {

class Notifier {
 public:
  // READY=1 with a STATUS= line: startup finished, the broker socket accepts connections.
  static void ready(std::string_view status);
  // STATUS=...: a one-line human summary shown by `systemctl status`.
  static void status(std::string_view status);
  // WATCHDOG=1: the event loop is alive.
  static void watchdog();
  // RELOADING=1 (+ MONOTONIC_USEC, required by systemd >= 253): a configuration reload started.
  // Follow it with ready() when the reload finished, whether it succeeded or not.
  static void reloading(std::string_view status);
  // STOPPING=1: shutdown began; systemd stops routing new work to us.
  static void stopping(std::string_view status);
  // True when a service manager listens (NOTIFY_SOCKET is set).
  static bool enabled();

 private:
  static void send(const std::string& message);
};

}  // namespace wasi_socketd::systemd
