// A host-name pattern for the name-lookup allow list: "localhost", "api.example.com",
// "*.example.com" (any name strictly below example.com) or "*" (every name).
// Matching ignores ASCII case and one trailing dot. Value type; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wasi_socketd::policy {

class NamePattern {
 public:
  // Rejects empty labels, a '*' anywhere but as the whole first label, and names over 253 bytes.
  static std::optional<NamePattern> parse(std::string_view text);

  bool matches(std::string_view name) const;
  const std::string& to_string() const { return text_; }

 private:
  explicit NamePattern(std::string text) : text_(std::move(text)) {}

  std::string text_;  // lower case, no trailing dot
};

// Lower-cases ASCII and drops one trailing dot: the form names are compared in.
std::string normalize_name(std::string_view name);

}  // namespace wasi_socketd::policy
