#include "admin/admin_socket_path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "wasi_socketd/default_socket_path.h"

namespace wasi_socketd::daemon {

std::string admin_socket_path_for(const std::string& broker_socket_path) {
  constexpr std::string_view suffix = ".sock";
  std::string base = broker_socket_path;
  if (base.ends_with(suffix)) base.resize(base.size() - suffix.size());
  return base + ".admin.sock";
}

std::string default_admin_socket_path() {
  if (const char* explicit_path = std::getenv("WASI_SOCKETD_ADMIN_SOCKET");
      explicit_path && *explicit_path) {
    return explicit_path;
  }
  return admin_socket_path_for(default_socket_path());
}

std::optional<std::string> untrusted_default_admin_socket_reason() {
  for (const char* name : {"WASI_SOCKETD_ADMIN_SOCKET", "WASI_SOCKETD_SOCKET"}) {
    if (const char* value = std::getenv(name); value && *value) return std::nullopt;
  }
  const std::string path = default_admin_socket_path();
  struct stat file {};
  if (::lstat(path.c_str(), &file) != 0) return std::nullopt;  // nothing there to talk to
  return untrusted_socket_reason(path, ::geteuid());
}

}  // namespace wasi_socketd::daemon
