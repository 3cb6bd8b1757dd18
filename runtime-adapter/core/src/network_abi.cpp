// C ABI: wasi:sockets/instance-network, wasi:sockets/network and wasi:io/error.
#include <algorithm>
#include <cstring>
#include <string>

#include "abi_call.h"
#include "wasi_socketd/adapter.h"
#include "wasi_socketd/client/error_code.h"
#include "wasi_socketd/client/name_lookup.h"

using namespace wasi_socketd::adapter;
namespace client = wasi_socketd::client;

extern "C" {

int32_t wsd_instance_network(wsd_host* h, uint32_t* network) {
  return abi_call(h, [&](Host& host) -> int32_t {
    // The session's one network; no round trip (SessionOpened carried its id).
    *out_param(network) = host.table().push(NetworkResource{host.session().network_id()});
    return WSD_OK;
  });
}

int32_t wsd_network_error_code(wsd_host* h, uint32_t error, int32_t* code) {
  return abi_call(h, [&](Host& host) -> int32_t {
    *out_param(code) = error_code_of(host.table().get<ErrorResource>(error).code);
    return WSD_OK;
  });
}

const char* wsd_error_code_name(int32_t status) {
  const auto index = wit_index_of_status(status);
  // The names of the one table are NUL-terminated literals.
  return index ? wasi_socketd::wit::error_code_name(*index).data() : nullptr;
}

int32_t wsd_error_to_debug_string(wsd_host* h, uint32_t error, char* buf, size_t buflen,
                                  size_t* len) {
  return abi_call(h, [&](Host& host) -> int32_t {
    const auto& resource = host.table().get<ErrorResource>(error);
    const std::string text = "wasi-socketd: " + std::string(client::to_string(resource.code));
    *out_param(len) = text.size();
    if (buf != nullptr && buflen > 0) {
      const std::size_t n = std::min(buflen - 1, text.size());
      std::memcpy(buf, text.data(), n);
      buf[n] = '\0';
    }
    return WSD_OK;
  });
}

}  // extern "C"
