// Typed, position-aware reading of one TOML table for the policy loader: every value read is
// type-checked, every error names file:line:column, and keys nobody read are reported as
// unknown (so a typo never silently widens or narrows a policy). Single-threaded helper.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace wasi_socketd::policy {

[[noreturn]] void fail_at(const toml::source_region& where, const std::string& file,
                          std::string message);

class TomlTableReader {
 public:
  // `context` names the table in messages, e.g. "[[tenant]] \"web\"".
  TomlTableReader(const toml::table& table, std::string file, std::string context);

  std::optional<bool> boolean(std::string_view key);
  std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max);
  std::optional<std::string> string(std::string_view key);
  const toml::table* table(std::string_view key);
  const toml::array* array(std::string_view key);
  // A required string.
  std::string required_string(std::string_view key);
  // Any value, unchecked (the caller checks the type); nullptr when absent.
  const toml::node* node(std::string_view key);

  // Fails on the first key that none of the calls above asked for, suggesting the closest
  // known key when one is near.
  void reject_unknown_keys() const;

  // "MESSAGE in CONTEXT", positioned at `where`.
  [[noreturn]] void fail(const toml::node& where, std::string message) const;
  // Once a table's name is known, messages name it: "[[tenant]]" -> "[[tenant]] \"web\"".
  void set_context(std::string context) { context_ = std::move(context); }
  const std::string& file() const { return file_; }
  const std::string& context() const { return context_; }
  const toml::table& raw() const { return table_; }

 private:
  const toml::table& table_;
  std::string file_;
  std::string context_;
  std::set<std::string, std::less<>> read_;
};

// A uid given as a number or a user name (resolved now, on this host).
uid_t read_uid(const toml::node& node, const TomlTableReader& reader);
// A gid given as a number or a group name.
gid_t read_gid(const toml::node& node, const TomlTableReader& reader);

}  // namespace wasi_socketd::policy
