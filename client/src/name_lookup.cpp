#include "wasi_socketd/client/name_lookup.h"

#include <string>

#include "proto_convert.h"

namespace wasi_socketd::client {

Result<Resolution> resolve_addresses(Session& session, std::uint64_t network_id,
                                     std::string_view name) {
  v1::ResolveAddressesRequest request;
  request.set_network_id(network_id);
  request.set_name(std::string(name));
  auto response =
      session.call(session.name_lookup(), &v1::IpNameLookup::Stub::ResolveAddresses, request);
  if (Status status = detail::status_of(response); !status) return status.error();
  Resolution resolution;
  for (const auto& address : response->addresses()) {
    resolution.addresses.push_back(detail::from_proto(address));
  }
  if (response->lookup_error() != v1::ERROR_CODE_UNSPECIFIED) {
    resolution.end_error = detail::from_proto(response->lookup_error());
  }
  return resolution;
}

Result<std::uint64_t> instance_network(Session& session) {
  auto response = session.call(session.network(), &v1::Network::Stub::InstanceNetwork,
                               v1::InstanceNetworkRequest{});
  if (!response) return response.error();
  return response->network_id();
}

}  // namespace wasi_socketd::client
