#include "resource_summary.h"

#include <array>
#include <cstddef>

namespace wasi_socketd::daemon {
namespace {

using TcpState = sockets::TcpSocket::State;
using UdpState = sockets::UdpSocket::State;

// The WIT names of the core's socket states, in TcpSocket::State order. UdpSocket::State's three
// states are its first three, with the same names (checked below).
constexpr std::array<std::string_view, 8> kStateNames = {
    "unbound",   "bind-in-progress",    "bound",     "listen-in-progress",
    "listening", "connect-in-progress", "connected", "closed"};

template <class State>
constexpr std::string_view name_of(State state) {
  const auto index = static_cast<std::size_t>(state);
  return index < kStateNames.size() ? kStateNames[index] : "unknown";
}

static_assert(name_of(TcpState::unbound) == "unbound" &&
              name_of(TcpState::bind_in_progress) == "bind-in-progress" &&
              name_of(TcpState::bound) == "bound" &&
              name_of(TcpState::listen_in_progress) == "listen-in-progress" &&
              name_of(TcpState::listening) == "listening" &&
              name_of(TcpState::connect_in_progress) == "connect-in-progress" &&
              name_of(TcpState::connected) == "connected" && name_of(TcpState::closed) == "closed");
static_assert(name_of(UdpState::unbound) == "unbound" &&
              name_of(UdpState::bind_in_progress) == "bind-in-progress" &&
              name_of(UdpState::bound) == "bound");

}  // namespace

std::string format_address(const sockets::SocketAddress& address) {
  const std::string ip = address.ip.to_string();
  return (address.ip.is_v6() ? "[" + ip + "]" : ip) + ":" + std::to_string(address.port);
}

std::string_view state_name(TcpState state) { return name_of(state); }
std::string_view state_name(UdpState state) { return name_of(state); }

}  // namespace wasi_socketd::daemon
