// wasi:sockets/ip-name-lookup.
#include "binding_shapes.h"
#include "bindings.h"

namespace wasi_socketd::adapter::napi {
namespace {

// Longest name the broker accepts (docs/PROTOCOL.md); longer ones still reach the C ABI, one byte
// over, so that it answers invalid-argument as the WIT says.
constexpr size_t kMaxNameLength = 255;

napi_value resolve_addresses(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 3);
    const std::string name = to_string(env, args[2], kMaxNameLength);
    uint32_t stream = 0;
    check(env, args.host_box(),
          wsd_resolve_addresses(args.host(), to_u32(env, args[1]), name.data(), name.size(),
                                &stream));
    return js_u32(env, stream);
  });
}

// resolve-next-address() -> ip-address | undefined (end of stream)
napi_value resolve_next_address(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    wsd_ip_address address{};
    bool has_address = false;
    check(env, args.host_box(),
          wsd_resolve_next_address(args.host(), to_u32(env, args[1]), &address, &has_address));
    return has_address ? js_ip_address(env, address.family, address.octets) : js_undefined(env);
  });
}

constexpr Function kFunctions[] = {
    {"resolveAddresses", resolve_addresses},
    {"resolveNextAddress", resolve_next_address},
    {"resolveAddressStreamSubscribe", make_handle<wsd_resolve_address_stream_subscribe>},
};

}  // namespace

void register_name_lookup(napi_env env, napi_value exports) {
  define_functions(env, exports, kFunctions);
}

}  // namespace wasi_socketd::adapter::napi
