// A listening Unix socket the daemon opens for tenants (bind-mountable into a container).
// Value type.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace wasi_socketd::policy {

// The socket given by --listen (or socket activation) is always called "main".
inline constexpr const char* kMainListener = "main";

struct ListenerDefinition {
  std::string name;
  std::string path;  // absolute
  mode_t mode = 0660;
  std::optional<uid_t> owner;  // chown after bind; unset: the daemon's uid
  std::optional<gid_t> group;
};

}  // namespace wasi_socketd::policy
