// C ABI: wasi:sockets/ip-name-lookup. The broker resolves completely in one call; the stream
// then hands out the answer locally, so its pollable is always ready.
#include <string_view>

#include "abi_call.h"
#include "abi_convert.h"
#include "wasi_socketd/adapter.h"

using namespace wasi_socketd::adapter;
namespace client = wasi_socketd::client;

extern "C" {

int32_t wsd_resolve_addresses(wsd_host* h, uint32_t network, const char* name, size_t name_len,
                              uint32_t* stream) {
  return abi_call(h, [&](Host& host) -> int32_t {
    out_param(stream);
    if (name == nullptr && name_len > 0) trap("wasi-socketd: null name");
    const std::uint64_t network_id = host.table().get<NetworkResource>(network).id;
    auto resolution = client::resolve_addresses(
        host.session(), network_id, std::string_view(name == nullptr ? "" : name, name_len));
    if (!resolution) return error_code_of(resolution.error());
    *stream = host.table().push(ResolveAddressStreamResource{std::move(*resolution), 0});
    return WSD_OK;
  });
}

int32_t wsd_resolve_next_address(wsd_host* h, uint32_t stream, wsd_ip_address* address,
                                 bool* has_address) {
  return abi_call(h, [&](Host& host) -> int32_t {
    out_param(address);
    out_param(has_address);
    auto& s = host.table().get<ResolveAddressStreamResource>(stream);
    if (s.next < s.resolution.addresses.size()) {
      address_to_abi(s.resolution.addresses[s.next++], address);
      *has_address = true;
      return WSD_OK;
    }
    if (s.resolution.end_error) return error_code_of(*s.resolution.end_error);
    *has_address = false;
    return WSD_OK;
  });
}

int32_t wsd_resolve_address_stream_subscribe(wsd_host* h, uint32_t stream, uint32_t* pollable) {
  return abi_call(h, [&](Host& host) -> int32_t {
    host.table().get<ResolveAddressStreamResource>(stream);
    *out_param(pollable) =
        host.table().push(PollableResource{[](const client::Mirror&) { return true; }}, stream);
    return WSD_OK;
  });
}

}  // extern "C"
