#include "name_syntax.h"

#include <idn2.h>

#include <cctype>
#include <cstdint>
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

// One part of a URL-style IPv4 host: decimal, 0x-hex or 0-octal. nullopt if not a number.
std::optional<std::uint64_t> parse_ipv4_number(std::string_view part) {
  if (part.empty()) return std::nullopt;
  int base = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
  } else if (part.size() >= 2 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  std::uint64_t value = 0;
  for (char c : part) {
    int digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (base == 16 && std::isxdigit(static_cast<unsigned char>(c)) != 0) {
      digit = std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
    } else {
      return std::nullopt;
    }
    if (digit >= base) return std::nullopt;
    value = value * base + digit;
    if (value > 0xffffffffULL) return std::nullopt;  // too large for any part
  }
  return value;
}

// The URL standard's rule, which the reference host follows (url::Host::parse): a host whose last
// label is a number is an IPv4 address ("127.1", "0x7f.0.0.1", "3.3.3.3.") or invalid, never a
// name. `name` comes without the final dot of a fully qualified name.
bool ends_in_a_number(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  const auto last = dot == std::string_view::npos ? name : name.substr(dot + 1);
  if (last.empty()) return false;
  const bool digits = last.find_first_not_of("0123456789") == std::string_view::npos;
  return digits || parse_ipv4_number(last).has_value();
}

std::optional<boost::asio::ip::address_v4> parse_url_ipv4(std::string_view name) {
  std::uint64_t parts[4];
  std::size_t count = 0;
  for (std::size_t start = 0; start <= name.size();) {
    std::size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    if (count == 4) return std::nullopt;
    const auto number = parse_ipv4_number(name.substr(start, end - start));
    if (!number) return std::nullopt;
    parts[count++] = *number;
    start = end + 1;
  }
  std::uint64_t address = 0;
  for (std::size_t i = 0; i + 1 < count; ++i) {
    if (parts[i] > 255) return std::nullopt;
    address = (address << 8) | parts[i];
  }
  const unsigned last_bits = 8 * (5 - static_cast<unsigned>(count));
  if (parts[count - 1] >= (std::uint64_t{1} << last_bits)) return std::nullopt;
  address = (address << last_bits) | parts[count - 1];
  return boost::asio::ip::address_v4(static_cast<std::uint32_t>(address));
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

// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) without C0/C1
// control characters or DEL. Checked before anything else looks at the name: a NUL byte would
// otherwise end the name early for the C libraries (IDNA, getaddrinfo) but not for the policy.
bool is_printable_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  for (std::size_t i = 0; i < size;) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      if (lead < 0x20 || lead == 0x7f) return false;
      ++i;
      continue;
    }
    std::size_t length = 0;
    char32_t code_point = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
      code_point = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      code_point = lead & 0x0f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return false;  // a continuation byte, an overlong lead (C0, C1) or past U+10FFFF
    }
    if (size - i < length) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xc0) != 0x80) return false;
      code_point = (code_point << 6) | (bytes[i + k] & 0x3f);
    }
    const char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < smallest[length] || code_point > 0x10ffff) return false;
    if (code_point >= 0xd800 && code_point <= 0xdfff) return false;  // surrogates
    if (code_point >= 0x80 && code_point <= 0x9f) return false;      // C1 controls
    i += length;
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
  if (!is_printable_utf8(name)) return ErrorCode::invalid_argument;
  if (auto literal = parse_ip_literal(name)) return LookupName(*literal);
  std::string ascii;
  if (!is_ascii(name)) {
    auto converted = to_ascii(name);
    if (!converted) return ErrorCode::invalid_argument;
    ascii = std::move(*converted);
    name = ascii;
  }
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);  // a fully qualified name
  if (ends_in_a_number(name)) {
    if (auto v4 = parse_url_ipv4(name)) return LookupName(boost::asio::ip::address(*v4));
    return ErrorCode::invalid_argument;
  }
  if (name.empty() || name.size() > kMaxLookupNameLength || !is_host_name(name)) {
    return ErrorCode::invalid_argument;
  }
  std::string lowered(name);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return LookupName(std::move(lowered));
}

}  // namespace wasi_socketd::sockets
