// Where in the policy a line is, in the words the loader's own messages use: "rule
// web.tcp.connect[0]" or "[[tenant]] \"web\"". For errors found before the loader has read the
// tables (an unquoted port range fails TOML's parse), so that they, too, name the tenant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <toml++/toml.h>

namespace wasi_socketd::policy {

// The rule, else the tenant, holding a value that begins on line `line` (1-based) of `root`;
// nullopt when no tenant does.
std::optional<std::string> context_of_line(const toml::table& root, uint32_t line);

}  // namespace wasi_socketd::policy
