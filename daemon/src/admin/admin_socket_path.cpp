#include "admin/admin_socket_path.h"

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

}  // namespace wasi_socketd::daemon
