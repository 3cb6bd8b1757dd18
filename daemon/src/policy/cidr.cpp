#include "policy/cidr.h"

#include <algorithm>
#include <charconv>

#include "policy/address_class.h"

namespace wasi_socketd::policy {
namespace {

using Bytes16 = boost::asio::ip::address_v6::bytes_type;

// The address as 16 bytes plus its bit width (32 or 128), so both families share one matcher.
std::pair<Bytes16, unsigned> as_bits(const boost::asio::ip::address& address) {
  Bytes16 bytes{};
  if (address.is_v4()) {
    const auto v4 = address.to_v4().to_bytes();
    std::copy(v4.begin(), v4.end(), bytes.begin());
    return {bytes, 32};
  }
  return {address.to_v6().to_bytes(), 128};
}

boost::asio::ip::address from_bits(const Bytes16& bytes, unsigned bit_width) {
  if (bit_width == 32) {
    return boost::asio::ip::address_v4({bytes[0], bytes[1], bytes[2], bytes[3]});
  }
  return boost::asio::ip::address_v6(bytes);
}

bool prefix_equal(const Bytes16& a, const Bytes16& b, unsigned prefix) {
  const unsigned whole = prefix / 8;
  for (unsigned i = 0; i < whole; ++i) {
    if (a[i] != b[i]) return false;
  }
  const unsigned rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

boost::asio::ip::address unmap_v4(const boost::asio::ip::address& address) {
  if (!address.is_v6()) return address;
  const auto bytes = address.to_v6().to_bytes();
  const bool zero_head =
      std::all_of(bytes.begin(), bytes.begin() + 10, [](auto b) { return b == 0; });
  const bool mapped = zero_head && bytes[10] == 0xFF && bytes[11] == 0xFF;
  // IPv4-compatible (::a.b.c.d, deprecated by RFC 4291) but never :: or ::1, which are IPv6's own.
  const bool compatible = zero_head && bytes[10] == 0 && bytes[11] == 0 &&
                          !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0 && bytes[15] <= 1);
  if (!mapped && !compatible) return address;
  return boost::asio::ip::address_v4({bytes[12], bytes[13], bytes[14], bytes[15]});
}

std::optional<Cidr> Cidr::parse(std::string_view text, std::string* fault) {
  const auto explain = [&](std::string why) -> std::optional<Cidr> {
    if (fault != nullptr) *fault = "'" + std::string(text) + "' " + std::move(why);
    return std::nullopt;
  };
  const auto slash = text.find('/');
  const std::string address_text(text.substr(0, slash));
  boost::system::error_code error;
  const auto network = boost::asio::ip::make_address(address_text, error);
  if (error) {
    const bool short_v4 = !address_text.empty() &&
                          address_text.find_first_not_of("0123456789.") == std::string::npos &&
                          std::count(address_text.begin(), address_text.end(), '.') < 3;
    if (short_v4) {
      return explain("is not an address: '" + address_text +
                     "' has fewer than four parts; write all four, such as '10.0.0.0/8'");
    }
    return explain("is not an address: '" + address_text +
                   "' is neither IPv4 nor IPv6 (use a CIDR such as '10.0.0.0/8' or one of " +
                   std::string(class_words()) + ")");
  }
  const unsigned width = network.is_v4() ? 32 : 128;
  const std::string family = network.is_v4() ? "IPv4" : "IPv6";
  unsigned prefix = width;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    const auto [end, result] =
        std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || result != std::errc() || end != digits.data() + digits.size()) {
      return explain("has no prefix length after '/': write a number 0-" + std::to_string(width));
    }
    if (prefix > width) {
      return explain("has prefix length " + std::to_string(prefix) + ", out of range: an " +
                     family + " prefix is 0-" + std::to_string(width));
    }
  }
  const auto [bits, bit_width] = as_bits(network);
  // Host bits set means the author meant something else; refuse rather than guess.
  Bytes16 masked{};
  for (unsigned i = 0; i < bit_width / 8; ++i) {
    const unsigned bit = i * 8;
    if (bit + 8 <= prefix) {
      masked[i] = bits[i];
    } else if (bit < prefix) {
      masked[i] = static_cast<unsigned char>(bits[i] & (0xFF << (8 - (prefix - bit))));
    }
  }
  if (masked != bits) {
    const Cidr network_only(from_bits(masked, bit_width), prefix);
    return explain("has host bits set: give the network address '" + network_only.to_string() +
                   "', or '" + network.to_string() + "' alone for the one address");
  }
  // An IPv4 network written the IPv6 way (::ffff:10.0.0.0/104) is that IPv4 network, as the
  // addresses it is matched against are.
  if (network.is_v6() && prefix >= 96 && unmap_v4(network).is_v4()) {
    return Cidr(unmap_v4(network), prefix - 96);
  }
  return Cidr(network, prefix);
}

bool Cidr::contains(const boost::asio::ip::address& address) const {
  const auto candidate = unmap_v4(address);
  if (candidate.is_v4() != network_.is_v4()) return false;
  return prefix_equal(as_bits(candidate).first, as_bits(network_).first, prefix_);
}

bool Cidr::within(const Cidr& outer) const {
  return outer.prefix_ <= prefix_ && outer.contains(network_);
}

std::string Cidr::to_string() const { return network_.to_string() + "/" + std::to_string(prefix_); }

}  // namespace wasi_socketd::policy
