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

// The WIT error-code names in WIT order, as the C ABI names WSD_ERR_UNKNOWN onwards: the same
// strings the binding throws, for JS that needs the whole list.
napi_value error_code_names(napi_env env) {
  napi_value names = nullptr;
  check_napi(env, napi_create_array(env, &names));
  uint32_t index = 0;
  for (const char* name = nullptr; (name = wsd_error_code_name(WSD_ERR_UNKNOWN + index)); ++index) {
    check_napi(env, napi_set_element(env, names, index, js_string(env, name)));
  }
  return names;
}

constexpr Function kFunctions[] = {
    {"instanceNetwork", instance_network},
    {"networkErrorCode", network_error_code},
    {"errorToDebugString", error_to_debug_string},
};

}  // namespace

void register_network(napi_env env, napi_value exports) {
  define_functions(env, exports, kFunctions);
  check_napi(env, napi_set_named_property(env, exports, "errorCodeNames", error_code_names(env)));
}

}  // namespace wasi_socketd::adapter::napi
