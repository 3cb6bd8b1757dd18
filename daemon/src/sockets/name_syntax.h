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

// An IP literal (IPv6 optionally in brackets, "[::]") or a syntactically valid host name,
// returned as ASCII (Unicode names converted with IDNA), lower-cased, without a trailing dot.
// invalid-argument for anything else (including names IDNA refuses and invalid UTF-8).
using LookupName = std::variant<boost::asio::ip::address, std::string>;
Result<LookupName> parse_lookup_name(std::string_view name);

}  // namespace wasi_socketd::sockets
