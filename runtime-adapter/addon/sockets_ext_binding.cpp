// wasi-socketd:sockets-ext (adapter_ext.h). Getters return the value as a BigInt, or null for
// option::none (linger); setters take (option, BigInt or null). The JS layer (sockets-ext.js)
// turns them into the WIT's bool / u8 / u64 / option<duration>.
#include <node_api.h>

#include "bindings.h"
#include "napi_support.h"
#include "wasi_socketd/adapter_ext.h"

namespace wasi_socketd::adapter::napi {
namespace {

uint8_t to_option(napi_env env, napi_value v) {
  const uint32_t option = to_u32(env, v);
  if (option > 0xff) throw_type_error(env, "unknown sockets-ext option");
  return static_cast<uint8_t>(option);
}

template <int32_t (*Get)(wsd_host*, uint32_t, uint8_t, uint64_t*, bool*)>
napi_value ext_get(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 3);
    uint64_t value = 0;
    bool none = false;
    check(env, args.host_box(),
          Get(args.host(), to_u32(env, args[1]), to_option(env, args[2]), &value, &none));
    if (!none) return js_u64(env, value);
    napi_value null_value = nullptr;
    check_napi(env, napi_get_null(env, &null_value));
    return null_value;
  });
}

template <int32_t (*Set)(wsd_host*, uint32_t, uint8_t, uint64_t, bool)>
napi_value ext_set(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 4);
    napi_valuetype type = napi_undefined;
    check_napi(env, napi_typeof(env, args[3], &type));
    const bool none = type == napi_null || type == napi_undefined;
    const uint64_t value = none ? 0 : to_u64(env, args[3]);
    check(env, args.host_box(),
          Set(args.host(), to_u32(env, args[1]), to_option(env, args[2]), value, none));
    return js_undefined(env);
  });
}

template <int32_t (*Change)(wsd_host*, uint32_t, const wsd_ip_address*, uint32_t)>
napi_value membership(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 4);
    const wsd_ip_address group = to_ip_address(env, args[2]);
    check(env, args.host_box(),
          Change(args.host(), to_u32(env, args[1]), &group, to_u32(env, args[3])));
    return js_undefined(env);
  });
}

constexpr Function kFunctions[] = {
    {"tcpExtGet", ext_get<wsd_tcp_ext_get>},
    {"tcpExtSet", ext_set<wsd_tcp_ext_set>},
    {"udpExtGet", ext_get<wsd_udp_ext_get>},
    {"udpExtSet", ext_set<wsd_udp_ext_set>},
    {"udpExtJoinMulticastGroup", membership<wsd_udp_ext_join_multicast_group>},
    {"udpExtLeaveMulticastGroup", membership<wsd_udp_ext_leave_multicast_group>},
};

}  // namespace

void register_sockets_ext(napi_env env, napi_value exports) {
  define_functions(env, exports, kFunctions);
}

}  // namespace wasi_socketd::adapter::napi
