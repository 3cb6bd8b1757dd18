// One registration function per WIT interface group; each installs its functions (camelCase,
// host first) on the addon's exports. See docs/RUNNER.md for the JS-facing conventions.
#pragma once

#include <node_api.h>

namespace wasi_socketd::adapter::napi {

void register_host(napi_env env, napi_value exports);         // host lifetime, resource drop
void register_network(napi_env env, napi_value exports);      // network, instance-network, io/error
void register_tcp(napi_env env, napi_value exports);          // tcp, tcp-create-socket
void register_udp(napi_env env, napi_value exports);          // udp, udp-create-socket
void register_name_lookup(napi_env env, napi_value exports);  // ip-name-lookup
void register_poll(napi_env env, napi_value exports);         // io/poll, clocks/monotonic-clock
void register_streams(napi_env env, napi_value exports);      // io/streams
void register_sockets_ext(napi_env env, napi_value exports);  // wasi-socketd:sockets-ext

}  // namespace wasi_socketd::adapter::napi
