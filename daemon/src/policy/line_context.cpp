#include "policy/line_context.h"

namespace wasi_socketd::policy {
namespace {

bool holds_line(const toml::node& node, uint32_t line) {
  if (node.source().begin.line == line) return true;
  if (const toml::table* table = node.as_table()) {
    for (const auto& [key, value] : *table) {
      if (holds_line(value, line)) return true;
    }
  }
  if (const toml::array* array = node.as_array()) {
    for (const toml::node& value : *array) {
      if (holds_line(value, line)) return true;
    }
  }
  return false;
}

// "tcp.connect[0]" for a rule table of [[tenant.tcp.connect]] holding the line.
std::optional<std::string> rule_of_line(const toml::table& tenant, uint32_t line) {
  for (const auto& [protocol, section] : tenant) {
    if (!section.is_table()) continue;
    for (const auto& [operation, rules] : *section.as_table()) {
      const toml::array* list = rules.as_array();
      if (list == nullptr) continue;
      for (std::size_t index = 0; index < list->size(); ++index) {
        if (list->get(index)->is_table() && holds_line(*list->get(index), line)) {
          return std::string(protocol.str()) + "." + std::string(operation.str()) + "[" +
                 std::to_string(index) + "]";
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> context_of_line(const toml::table& root, uint32_t line) {
  const toml::array* tenants = root["tenant"].as_array();
  if (tenants == nullptr) return std::nullopt;
  for (const toml::node& node : *tenants) {
    const toml::table* tenant = node.as_table();
    if (tenant == nullptr || !holds_line(*tenant, line)) continue;
    const std::string name = (*tenant)["name"].value_or(std::string("?"));
    if (auto rule = rule_of_line(*tenant, line)) return "rule " + name + "." + *rule;
    return "[[tenant]] \"" + name + "\"";
  }
  return std::nullopt;
}

}  // namespace wasi_socketd::policy
