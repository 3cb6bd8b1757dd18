#include "systemd/notifier.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <ctime>
#include <string>

namespace wasi_socketd::systemd {
namespace {

// STATUS= is a single line; a newline would start a new (unintended) assignment.
std::string status_line(std::string_view status) {
  std::string line = "STATUS=";
  for (char c : status) line += (c == '\n' || c == '\r') ? ' ' : c;
  return line;
}

std::string monotonic_usec() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const auto usec = static_cast<unsigned long long>(now.tv_sec) * 1000000ULL +
                    static_cast<unsigned long long>(now.tv_nsec) / 1000ULL;
  return "MONOTONIC_USEC=" + std::to_string(usec);
}

}  // namespace

void Notifier::ready(std::string_view status) { send("READY=1\n" + status_line(status)); }

void Notifier::status(std::string_view status) { send(status_line(status)); }

void Notifier::watchdog() { send("WATCHDOG=1"); }

void Notifier::reloading(std::string_view status) {
  send("RELOADING=1\n" + monotonic_usec() + "\n" + status_line(status));
}

void Notifier::stopping(std::string_view status) { send("STOPPING=1\n" + status_line(status)); }

bool Notifier::enabled() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return socket != nullptr && *socket != '\0';
}

void Notifier::send(const std::string& message) {
  // A failed notification must not take the broker down; systemd notices a missing READY itself.
  (void)sd_notify(0, message.c_str());
}

}  // namespace wasi_socketd::systemd
