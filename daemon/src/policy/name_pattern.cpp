#include "policy/name_pattern.h"

#include <algorithm>

namespace wasi_socketd::policy {
namespace {

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

std::string normalize_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

std::optional<NamePattern> NamePattern::parse(std::string_view text) {
  std::string pattern = normalize_name(text);
  if (pattern == "*") {
    if (text != "*") return std::nullopt;  // "*." is not a name
    return NamePattern(pattern);
  }
  if (pattern.empty() || pattern.size() > 253) return std::nullopt;
  std::string_view rest = pattern;
  if (rest.starts_with("*.")) rest.remove_prefix(2);
  while (!rest.empty()) {
    const auto dot = rest.find('.');
    if (!valid_label(rest.substr(0, dot))) return std::nullopt;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
    if (rest.empty()) return std::nullopt;
  }
  return NamePattern(pattern);
}

bool NamePattern::matches(std::string_view name) const {
  const std::string candidate = normalize_name(name);
  if (text_ == "*") return !candidate.empty();
  if (text_.starts_with("*.")) {
    const std::string_view suffix = std::string_view(text_).substr(1);  // ".example.com"
    return candidate.size() > suffix.size() && candidate.ends_with(suffix);
  }
  return candidate == text_;
}

}  // namespace wasi_socketd::policy
