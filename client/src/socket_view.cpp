#include "wasi_socketd/client/socket_view.h"

#include <limits>

#include "proto_convert.h"
#include "wasi_socketd/option_rules.h"

namespace wasi_socketd::client {

namespace {

Result<IpSocketAddress> address_of(const v1::SocketAddressResponse& response) {
  if (response.error() != v1::ERROR_CODE_UNSPECIFIED) return detail::from_proto(response.error());
  return detail::from_proto(response.address());
}

template <class Value>
Result<std::uint64_t> answer_of(const Value& value) {
  if (value.error() != v1::ERROR_CODE_UNSPECIFIED) return detail::from_proto(value.error());
  return value.value();
}

bool is_buffer_size(bool tcp, int option) {
  return tcp ? option == v1::TCP_OPTION_RECEIVE_BUFFER_SIZE ||
                   option == v1::TCP_OPTION_SEND_BUFFER_SIZE
             : option == v1::UDP_OPTION_RECEIVE_BUFFER_SIZE ||
                   option == v1::UDP_OPTION_SEND_BUFFER_SIZE;
}

// What a setter's getter reports afterwards when the broker's rules make it certain
// (option_rules.h); nullopt for buffer sizes, which the host's sysctls decide.
std::optional<std::uint64_t> predicted(bool tcp, int option, std::uint64_t value) {
  if (!tcp) {
    if (option == v1::UDP_OPTION_UNICAST_HOP_LIMIT) return value;
    return std::nullopt;
  }
  switch (option) {
    case v1::TCP_OPTION_KEEP_ALIVE_ENABLED:
    case v1::TCP_OPTION_HOP_LIMIT:
      return value;
    case v1::TCP_OPTION_KEEP_ALIVE_IDLE_TIME:
    case v1::TCP_OPTION_KEEP_ALIVE_INTERVAL:
      return keep_alive_seconds(value) * kNanosPerSecond;
    case v1::TCP_OPTION_KEEP_ALIVE_COUNT:
      return keep_alive_count(static_cast<std::uint32_t>(value));
    default:
      return std::nullopt;
  }
}

// The broker's answer to a setter, in the broker's order of checks (tcp_options.cpp,
// udp_options.cpp, the socket core): the value's type, the socket's state, then zero.
Status check_set(const SocketView& view, int option, std::uint64_t value) {
  if (!view.options.contains(option)) return ErrorCode::kInvalidArgument;
  const bool boolean = view.tcp && option == v1::TCP_OPTION_KEEP_ALIVE_ENABLED;
  const bool count = view.tcp && option == v1::TCP_OPTION_KEEP_ALIVE_COUNT;
  const bool hop_limit =
      view.tcp ? option == v1::TCP_OPTION_HOP_LIMIT : option == v1::UDP_OPTION_UNICAST_HOP_LIMIT;
  if ((boolean && value > 1) || (hop_limit && value > std::numeric_limits<std::uint8_t>::max()) ||
      (count && value > std::numeric_limits<std::uint32_t>::max())) {
    return ErrorCode::kInvalidArgument;
  }
  if (view.tcp && (view.state == v1::TCP_SOCKET_STATE_CONNECT_IN_PROGRESS ||
                   view.state == v1::TCP_SOCKET_STATE_CLOSED)) {
    return ErrorCode::kInvalidState;
  }
  if (!boolean && value == 0) return ErrorCode::kInvalidArgument;
  return ok_status();
}

template <class Values>
void update_options(std::map<int, OptionAnswer>& options, const Values& values) {
  for (const auto& value : values) {
    OptionAnswer& option = options[value.option()];
    if (option.pending > 0) continue;  // the setter's reply decides
    option.answer = answer_of(value);
    option.exact = true;
  }
}

}  // namespace

void SocketView::update(const v1::TcpSocketView& view) {
  tcp = true;
  state = view.state();
  local_address = address_of(view.local_address());
  remote_address = address_of(view.remote_address());
  update_options(options, view.options());
}

void SocketView::update(const v1::UdpSocketView& view) {
  tcp = false;
  local_address = address_of(view.local_address());
  remote_address = address_of(view.remote_address());
  update_options(options, view.options());
}

std::optional<Result<std::uint64_t>> SocketView::local_answer(int option) {
  auto it = options.find(option);
  if (it == options.end()) return std::nullopt;
  OptionAnswer& answer = it->second;
  if (answer.refused) {
    const ErrorCode refused = *answer.refused;
    answer.refused.reset();
    return Result<std::uint64_t>(refused);
  }
  if (!answer.exact) return std::nullopt;
  // Linux tunes the buffers of a connected TCP socket unless the application set them.
  if (tcp && state == v1::TCP_SOCKET_STATE_CONNECTED && is_buffer_size(tcp, option) &&
      !answer.locked) {
    return std::nullopt;
  }
  return answer.answer;
}

void SocketView::learn(int option, const Result<std::uint64_t>& answer) {
  auto it = options.find(option);
  if (it == options.end() || it->second.pending > 0) return;
  it->second.answer = answer;
  it->second.exact = true;
}

Status SocketView::begin_set(int option, std::uint64_t value) {
  if (Status checked = check_set(*this, option, value); !checked) return checked;
  OptionAnswer& answer = options[option];
  if (std::optional<std::uint64_t> effect = predicted(tcp, option, value)) {
    answer.answer = *effect;
    answer.exact = true;
  } else {
    answer.exact = false;  // the reply brings the size the kernel chose
  }
  if (is_buffer_size(tcp, option)) answer.locked = true;
  ++answer.pending;
  return ok_status();
}

void SocketView::finish_set(int option, const Result<std::uint64_t>& effective) {
  OptionAnswer& answer = options[option];
  if (answer.pending > 0) --answer.pending;
  if (!effective) {
    answer.refused = effective.error();
    answer.exact = false;
  } else if (answer.pending == 0) {
    answer.answer = *effective;
    answer.exact = true;
  }
}

}  // namespace wasi_socketd::client
