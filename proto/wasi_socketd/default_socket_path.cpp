#include "wasi_socketd/default_socket_path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace wasi_socketd {
namespace {

const char* explicit_socket_path() {
  const char* path = std::getenv("WASI_SOCKETD_SOCKET");
  return path && *path ? path : nullptr;
}

}  // namespace

std::string default_socket_path() {
  if (const char* explicit_path = explicit_socket_path()) return explicit_path;
  if (::geteuid() == 0) return "/run/wasi-socketd/wasi-socketd.sock";
  if (const char* runtime_dir = std::getenv("XDG_RUNTIME_DIR"); runtime_dir && *runtime_dir) {
    return std::string(runtime_dir) + "/wasi-socketd.sock";
  }
  return "/tmp/wasi-socketd-" + std::to_string(::geteuid()) + ".sock";
}

std::optional<std::string> untrusted_socket_reason(const std::string& path, uid_t user) {
  struct stat socket_file {};
  if (::lstat(path.c_str(), &socket_file) != 0) return "it cannot be examined";
  if (!S_ISSOCK(socket_file.st_mode)) return "it is not a socket";
  if (socket_file.st_uid == user || socket_file.st_uid == 0) return std::nullopt;
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (directory.empty()) directory = ".";
  struct stat parent {};
  if (::stat(directory.c_str(), &parent) != 0) return "its directory cannot be examined";
  // Another user's socket in that user's own directory, which nobody else may write to: a system
  // broker's account (/run/wasi-socketd belongs to wasi-socketd). Not in a shared directory.
  const bool parent_owner_trusted =
      parent.st_uid == user || parent.st_uid == 0 || parent.st_uid == socket_file.st_uid;
  if (parent_owner_trusted && (parent.st_mode & (S_IWGRP | S_IWOTH)) == 0) return std::nullopt;
  return "it belongs to uid " + std::to_string(socket_file.st_uid) + " in " + directory +
         ", where other users may create files: it may be another user's broker";
}

std::optional<std::string> untrusted_default_socket_reason() {
  if (explicit_socket_path()) return std::nullopt;
  return untrusted_socket_reason(default_socket_path(), ::geteuid());
}

}  // namespace wasi_socketd
