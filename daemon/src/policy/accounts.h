// Users and groups given by name or number (policy files, daemon flags), resolved on this host.
// Thread-safe (getpwnam_r/getgrnam_r).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace wasi_socketd::policy {

std::optional<uid_t> uid_of_user(const std::string& name);
std::optional<gid_t> gid_of_group(const std::string& name);

// "1001" or "web" -> the uid; nullopt for an unknown name or a number out of range.
std::optional<uid_t> parse_user(const std::string& text);
std::optional<gid_t> parse_group(const std::string& text);

}  // namespace wasi_socketd::policy
