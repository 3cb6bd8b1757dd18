// wasi:sockets/network, instance-network and wasi:io/error.
#include "binding_shapes.h"
#include "bindings.h"

namespace wasi_socketd::adapter::napi {
namespace {

napi_value instance_network(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 1);
    uint32_t network = 0;
    check(env, args.host_box(), wsd_instance_network(args.host(), &network));
    return js_u32(env, network);
  });
}

// network-error-code(borrow<error>) -> error-code string | undefined
napi_value network_error_code(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    int32_t code = WSD_OK;
    check(env, args.host_box(), wsd_network_error_code(args.host(), to_u32(env, args[1]), &code));
    const std::string_view name = error_code_name(code);
    return name.empty() ? js_undefined(env) : js_string(env, name);
  });
}

napi_value error_to_debug_string(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    const uint32_t error = to_u32(env, args[1]);
    std::string text(256, '\0');
    size_t length = 0;
    check(env, args.host_box(),
          wsd_error_to_debug_string(args.host(), error, text.data(), text.size(), &length));
    if (length >= text.size()) {
      text.resize(length + 1);
      check(env, args.host_box(),
            wsd_error_to_debug_string(args.host(), error, text.data(), text.size(), &length));
    }
    text.resize(std::min(length, text.size() - 1));
    return js_string(env, text);
  });
}

constexpr Function kFunctions[] = {
    {"instanceNetwork", instance_network},
    {"networkErrorCode", network_error_code},
    {"errorToDebugString", error_to_debug_string},
};

}  // namespace

void register_network(napi_env env, napi_value exports) {
  define_functions(env, exports, kFunctions);
}

}  // namespace wasi_socketd::adapter::napi
