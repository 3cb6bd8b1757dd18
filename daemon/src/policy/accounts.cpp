#include "policy/accounts.h"

#include <grp.h>
#include <pwd.h>

#include <charconv>
#include <vector>

namespace wasi_socketd::policy {
namespace {

// getpwnam_r/getgrnam_r need a caller buffer; 64 KiB covers any sane entry.
template <typename Entry, typename Lookup>
std::optional<Entry> lookup_entry(const std::string& name, Lookup lookup) {
  Entry entry{};
  Entry* found = nullptr;
  std::vector<char> buffer(64 * 1024);
  if (lookup(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return entry;
}

// A decimal id below 2^32-1 ((uid_t)-1 means "unchanged" to chown); nullopt if not a number.
std::optional<uint32_t> parse_id(const std::string& text) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      value >= 0xFFFFFFFFull) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(value);
}

}  // namespace

std::optional<uid_t> uid_of_user(const std::string& name) {
  const auto entry = lookup_entry<passwd>(name, getpwnam_r);
  if (!entry) return std::nullopt;
  return entry->pw_uid;
}

std::optional<gid_t> gid_of_group(const std::string& name) {
  const auto entry = lookup_entry<group>(name, getgrnam_r);
  if (!entry) return std::nullopt;
  return entry->gr_gid;
}

std::optional<uid_t> parse_user(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
    return parse_id(text);
  }
  return uid_of_user(text);
}

std::optional<gid_t> parse_group(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
    return parse_id(text);
  }
  return gid_of_group(text);
}

}  // namespace wasi_socketd::policy
