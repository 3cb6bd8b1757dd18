#include "name_syntax.h"

#include <idn2.h>

#include <cctype>
#include <optional>

namespace wasi_socketd::sockets {
namespace {

constexpr std::size_t kMaxLabelLength = 63;

std::optional<boost::asio::ip::address> parse_ip_literal(std::string_view name) {
  boost::system::error_code error;
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    auto v6 = boost::asio::ip::make_address_v6(name.substr(1, name.size() - 2), error);
    if (error) return std::nullopt;
    return boost::asio::ip::address(v6);
  }
  auto address = boost::asio::ip::make_address(name, error);
  if (error) return std::nullopt;
  return address;
}

bool is_label_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

// Letters, digits, '-' and '_' (seen in real DNS names), 1..63 per label, no empty label,
// no label starting or ending with '-'.
bool is_host_name(std::string_view name) {
  if (name.empty()) return false;
  std::size_t label_start = 0;
  while (label_start <= name.size()) {
    std::size_t label_end = name.find('.', label_start);
    if (label_end == std::string_view::npos) label_end = name.size();
    const auto label = name.substr(label_start, label_end - label_start);
    if (label.empty() || label.size() > kMaxLabelLength) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!is_label_char(c)) return false;
    }
    label_start = label_end + 1;
  }
  return true;
}

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Unicode names become their ASCII (punycode) form, as the WIT requires (IDNA2008 with the
// UTS #46 non-transitional mapping, like browsers and the reference host).
std::optional<std::string> to_ascii(std::string_view name) {
  const std::string input(name);
  char* output = nullptr;
  if (idn2_to_ascii_8z(input.c_str(), &output, IDN2_NONTRANSITIONAL) != IDN2_OK) {
    return std::nullopt;
  }
  std::string ascii(output);
  idn2_free(output);
  return ascii;
}

}  // namespace

Result<LookupName> parse_lookup_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxLookupNameLength) return ErrorCode::invalid_argument;
  if (auto literal = parse_ip_literal(name)) return LookupName(*literal);
  std::string ascii;
  if (!is_ascii(name)) {
    auto converted = to_ascii(name);
    if (!converted) return ErrorCode::invalid_argument;
    ascii = std::move(*converted);
    name = ascii;
  }
  if (name.back() == '.') name.remove_suffix(1);  // a fully qualified name
  if (name.empty() || name.size() > kMaxLookupNameLength || !is_host_name(name)) {
    return ErrorCode::invalid_argument;
  }
  std::string lowered(name);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return LookupName(std::move(lowered));
}

}  // namespace wasi_socketd::sockets
