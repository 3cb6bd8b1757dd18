// Conversions between the client's value types and the wasi_socketd.v1 messages (private).
#pragma once

#include "wasi_socketd/client/address.h"
#include "wasi_socketd/client/error_code.h"
#include "wasi_socketd/client/result.h"
#include "wasi_socketd/v1/network.pb.h"

namespace wasi_socketd::client::detail {

v1::IpAddressFamily to_proto(AddressFamily family);
void to_proto(const IpAddress& address, v1::IpAddress* out);
void to_proto(const IpSocketAddress& address, v1::IpSocketAddress* out);
IpAddress from_proto(const v1::IpAddress& address);
IpSocketAddress from_proto(const v1::IpSocketAddress& address);

// The wire code (UNSPECIFIED = no error) as a client code.
ErrorCode from_proto(v1::ErrorCode code);
// A WIT code on the wire (kSessionLost is no wire code: UNKNOWN).
v1::ErrorCode to_proto(ErrorCode code);

// Status of a response with an `error` field.
template <typename Response>
Status status_of(const Result<Response>& response) {
  if (!response) return response.error();
  if (response->error() != v1::ERROR_CODE_UNSPECIFIED) return from_proto(response->error());
  return ok_status();
}

// The address a LocalAddress/RemoteAddress response carries, or its error.
template <typename Response>
Result<IpSocketAddress> address_of(const Result<Response>& response) {
  if (Status status = status_of(response); !status) return status.error();
  return from_proto(response->address());
}

// The `value` a response carries (an option, is-listening), or its error.
template <typename Response>
auto value_of(const Result<Response>& response) -> Result<decltype(response->value())> {
  if (Status status = status_of(response); !status) return status.error();
  return response->value();
}

// A request that names only the socket (TcpSocketRequest, UdpSocketRequest).
template <typename Request>
Request socket_request(std::uint64_t socket_id) {
  Request request;
  request.set_socket_id(socket_id);
  return request;
}

}  // namespace wasi_socketd::client::detail
