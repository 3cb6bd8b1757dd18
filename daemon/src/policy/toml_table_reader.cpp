#include "policy/toml_table_reader.h"

#include "policy/accounts.h"
#include "policy/key_suggestion.h"
#include "policy/policy_error.h"

namespace wasi_socketd::policy {
namespace {

// uid_t and gid_t are 32 bits; (uid_t)-1 means "no change" to chown and is no one's id.
constexpr const char* kIdRange = "0-4294967294";

std::string_view type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date/time";
  }
}

}  // namespace

void fail_at(const toml::source_region& where, const std::string& file, std::string message) {
  throw PolicyErrorException(
      PolicyError{file, where.begin.line, where.begin.column, std::move(message)});
}

TomlTableReader::TomlTableReader(const toml::table& table, std::string file, std::string context)
    : table_(table), file_(std::move(file)), context_(std::move(context)) {}

void TomlTableReader::fail(const toml::node& where, std::string message) const {
  fail_at(where.source(), file_, std::move(message) + " in " + context_);
}

const toml::node* TomlTableReader::node(std::string_view key) {
  read_.emplace(key);
  return table_.get(key);
}

std::optional<bool> TomlTableReader::boolean(std::string_view key) {
  const toml::node* value = node(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    fail(*value, "'" + std::string(key) + "' must be a boolean, not " +
                     std::string(type_name(value->type())));
  }
  return value->as_boolean()->get();
}

std::optional<int64_t> TomlTableReader::integer(std::string_view key, int64_t min, int64_t max) {
  const toml::node* value = node(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_integer()) {
    fail(*value, "'" + std::string(key) + "' must be an integer, not " +
                     std::string(type_name(value->type())));
  }
  const int64_t number = value->as_integer()->get();
  if (number < min || number > max) {
    fail(*value, "'" + std::string(key) + "' must be between " + std::to_string(min) + " and " +
                     std::to_string(max));
  }
  return number;
}

std::optional<std::string> TomlTableReader::string(std::string_view key) {
  const toml::node* value = node(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    fail(*value, "'" + std::string(key) + "' must be a string, not " +
                     std::string(type_name(value->type())));
  }
  return value->as_string()->get();
}

std::string TomlTableReader::required_string(std::string_view key) {
  auto value = string(key);
  if (!value) fail_at(table_.source(), file_, context_ + " needs '" + std::string(key) + "'");
  if (value->empty()) fail(*table_.get(key), "'" + std::string(key) + "' must not be empty");
  return *value;
}

const toml::table* TomlTableReader::table(std::string_view key) {
  const toml::node* value = node(key);
  if (value == nullptr) return nullptr;
  if (!value->is_table()) {
    fail(*value, "'" + std::string(key) + "' must be a table, not " +
                     std::string(type_name(value->type())));
  }
  return value->as_table();
}

const toml::array* TomlTableReader::array(std::string_view key) {
  const toml::node* value = node(key);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) {
    fail(*value, "'" + std::string(key) + "' must be an array, not " +
                     std::string(type_name(value->type())));
  }
  return value->as_array();
}

void TomlTableReader::reject_unknown_keys() const {
  for (const auto& [key, value] : table_) {
    if (read_.contains(key.str())) continue;
    std::string message = "unknown key '" + std::string(key.str()) + "' in " + context_;
    if (auto known = closest_key(key.str(), read_)) message += ": did you mean '" + *known + "'?";
    fail_at(key.source(), file_, std::move(message));
  }
}

uid_t read_uid(const toml::node& node, const TomlTableReader& reader) {
  if (const auto* number = node.as_integer()) {
    if (number->get() < 0 || number->get() >= 0xFFFFFFFFll) {
      reader.fail(
          node, "uid " + std::to_string(number->get()) + " is out of range: a uid is " + kIdRange);
    }
    return static_cast<uid_t>(number->get());
  }
  if (const auto* name = node.as_string()) {
    const auto uid = uid_of_user(name->get());
    if (!uid) reader.fail(node, "unknown user '" + name->get() + "'");
    return *uid;
  }
  reader.fail(node, "a user must be a uid number or a user name");
}

gid_t read_gid(const toml::node& node, const TomlTableReader& reader) {
  if (const auto* number = node.as_integer()) {
    if (number->get() < 0 || number->get() >= 0xFFFFFFFFll) {
      reader.fail(
          node, "gid " + std::to_string(number->get()) + " is out of range: a gid is " + kIdRange);
    }
    return static_cast<gid_t>(number->get());
  }
  if (const auto* name = node.as_string()) {
    const auto gid = gid_of_group(name->get());
    if (!gid) reader.fail(node, "unknown group '" + name->get() + "'");
    return *gid;
  }
  reader.fail(node, "a group must be a gid number or a group name");
}

}  // namespace wasi_socketd::policy
