// What `resolve-addresses` accepts as a name, decided without any lookup.
//
// Pure functions; no threading concerns.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "error_code.h"

namespace wasi_socketd::sockets {

static constexpr std::size_t kMaxLookupNameLength = 255;

// The one canonical form of a name a tenant asked to resolve, parsed once per request and handed
// to the policy, the resolver and the connect_resolved memory alike (never the raw text, which
// C libraries would read only up to its first NUL byte).
// An IP literal (IPv6 optionally in brackets, "[::]"; IPv4 in any URL-standard spelling, "127.1")
// or a syntactically valid host name, as ASCII (Unicode names converted with IDNA), lower-cased,
// without a trailing dot.
struct LookupName : std::variant<boost::asio::ip::address, std::string> {
  using variant::variant;
  // Raw text is not a parsed name: parse it with parse_lookup_name.
  LookupName(const char*) = delete;
};

// invalid-argument for anything else: empty or over 255 bytes, NUL or any other control
// character, invalid UTF-8, names IDNA refuses.
Result<LookupName> parse_lookup_name(std::string_view name);

// Header-only so that the pure policy model can judge parsed names without linking the parser.
inline bool is_ip_literal(const LookupName& name) {
  return std::holds_alternative<boost::asio::ip::address>(name);
}

// The address's text or the host name: what audit lines and the connect_resolved memory show.
inline std::string to_string(const LookupName& name) {
  if (const auto* address = std::get_if<boost::asio::ip::address>(&name)) {
    return address->to_string();
  }
  return std::get<std::string>(name);
}

}  // namespace wasi_socketd::sockets
