// An option getter's result as the wire's OptionValueResponse (tcp and udp options alike).
#pragma once

#include <cstdint>

#include "proto_convert.h"
#include "wasi_socketd/v1/tcp.pb.h"

namespace wasi_socketd::daemon {

template <class T>
void answer_option(const sockets::Result<T>& result, v1::OptionValueResponse& response) {
  if (!result) {
    response.set_error(to_proto(result.error()));
    return;
  }
  response.set_value(static_cast<std::uint64_t>(*result));
}

}  // namespace wasi_socketd::daemon
