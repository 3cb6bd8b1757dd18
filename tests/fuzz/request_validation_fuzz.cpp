// libFuzzer target for the validation every request passes before it reaches a socket: wire
// socket addresses (proto_convert), names for resolve-addresses (name_syntax) and option values
// (socket_options, on a real kernel socket). Any input must be accepted or refused with an
// error-code — never a crash, an escaped exception or undefined behaviour — and what is accepted
// must satisfy the invariants the services rely on; a violated one traps.
#include <fuzzer/FuzzedDataProvider.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>

#include "service/proto_convert.h"
#include "sockets/name_syntax.h"
#include "sockets/socket_options.h"

namespace {

namespace v1 = wasi_socketd::v1;
namespace sockets = wasi_socketd::sockets;
namespace options = wasi_socketd::sockets::options;

void require(bool invariant) {
  if (!invariant) __builtin_trap();
}

// An accepted wire address converts back to itself (up to the fields IPv4 ignores).
void check_socket_address(const std::string& bytes) {
  v1::IpSocketAddress wire;
  if (!wire.ParseFromString(bytes)) return;
  const auto address = wasi_socketd::daemon::from_proto(wire);
  if (!address) {
    require(address.error() == sockets::ErrorCode::invalid_argument);
    return;
  }
  require(wire.port() <= 65535);
  const v1::IpSocketAddress back = wasi_socketd::daemon::to_proto(*address);
  require(back.address().octets() == wire.address().octets());
  require(back.address().family() == wire.address().family());
  require(back.port() == wire.port());
  require(wasi_socketd::daemon::from_proto(back).value() == *address);
}

// An accepted name is a canonical ASCII host name or an IP literal, and parsing it again is a
// no-op.
void check_lookup_name(const std::string& name) {
  const auto parsed = sockets::parse_lookup_name(name);
  if (!parsed) {
    require(parsed.error() == sockets::ErrorCode::invalid_argument);
    return;
  }
  if (const auto* host = std::get_if<std::string>(&*parsed)) {
    require(!host->empty() && host->size() <= sockets::kMaxLookupNameLength);
    require(host->back() != '.');
    for (const unsigned char c : *host) require(c < 0x80 && std::tolower(c) == c);
    const auto again = sockets::parse_lookup_name(*host);
    require(again.ok() && std::get<std::string>(*again) == *host);
  }
}

// Option setters refuse with invalid-argument or apply a value the getter then reports in range.
void check_options(int fd, FuzzedDataProvider& input) {
  const auto value = input.ConsumeIntegral<std::uint64_t>();
  switch (input.ConsumeIntegralInRange(0, 5)) {
    case 0:
      if (options::set_hop_limit(fd, sockets::Family::ipv6, static_cast<std::uint8_t>(value))) {
        require(options::hop_limit(fd, sockets::Family::ipv6).value() > 0);
      }
      break;
    case 1:
      if (options::set_receive_buffer_size(fd, value)) {
        require(options::receive_buffer_size(fd).value() > 0);
      }
      break;
    case 2:
      if (options::set_send_buffer_size(fd, value)) {
        require(options::send_buffer_size(fd).value() > 0);
      }
      break;
    case 3:
      if (options::set_keep_alive_idle_time(fd, value)) {
        require(options::keep_alive_idle_time(fd).value() > 0);
      }
      break;
    case 4:
      if (options::set_keep_alive_interval(fd, value)) {
        require(options::keep_alive_interval(fd).value() > 0);
      }
      break;
    default:
      if (options::set_keep_alive_count(fd, static_cast<std::uint32_t>(value))) {
        require(options::keep_alive_count(fd).value() > 0);
      }
      break;
  }
}

// One socket for the whole run: options are per-socket state, and creating one per input would
// measure socket(2) rather than the validation.
int option_socket() {
  static const int fd = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  switch (input.ConsumeIntegralInRange(0, 2)) {
    case 0:
      check_socket_address(input.ConsumeRemainingBytesAsString());
      break;
    case 1:
      check_lookup_name(input.ConsumeRemainingBytesAsString());
      break;
    default:
      if (option_socket() >= 0) check_options(option_socket(), input);
      break;
  }
  return 0;
}
