#include "wasi_socketd/default_socket_path.h"

#include <unistd.h>

#include <cstdlib>

namespace wasi_socketd {

std::string default_socket_path() {
  if (const char* explicit_path = std::getenv("WASI_SOCKETD_SOCKET");
      explicit_path && *explicit_path) {
    return explicit_path;
  }
  if (::geteuid() == 0) return "/run/wasi-socketd/wasi-socketd.sock";
  if (const char* runtime_dir = std::getenv("XDG_RUNTIME_DIR"); runtime_dir && *runtime_dir) {
    return std::string(runtime_dir) + "/wasi-socketd.sock";
  }
  return "/tmp/wasi-socketd-" + std::to_string(::geteuid()) + ".sock";
}

}  // namespace wasi_socketd
