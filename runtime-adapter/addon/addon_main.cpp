// wasi_socketd_adapter.node: a thin N-API binding of the adapter's C ABI
// (runtime-adapter/include/wasi_socketd/adapter.h). Every function is synchronous on the JS thread;
// blocking ones block it, which is what a WASI 0.2 guest expects. Nothing calls back into JS.
#include <node_api.h>

#include "bindings.h"
#include "napi_support.h"

namespace wasi_socketd::adapter::napi {
namespace {

napi_value init(napi_env env, napi_value exports) {
  return guarded(env, [&] {
    register_host(env, exports);
    register_network(env, exports);
    register_tcp(env, exports);
    register_udp(env, exports);
    register_name_lookup(env, exports);
    register_poll(env, exports);
    register_streams(env, exports);
    register_sockets_ext(env, exports);
    return exports;
  });
}

}  // namespace
}  // namespace wasi_socketd::adapter::napi

NAPI_MODULE(NODE_GYP_MODULE_NAME, wasi_socketd::adapter::napi::init)
