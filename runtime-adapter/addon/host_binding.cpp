// Host lifetime (one broker session per guest instance), resource drop, the default socket path.
#include "binding_shapes.h"
#include "bindings.h"
#include "wasi_socketd/default_socket_path.h"

namespace wasi_socketd::adapter::napi {
namespace {

void finalize_host(napi_env, void* data, void*) {
  auto* box = static_cast<HostBox*>(data);
  wsd_host_close(box->host);
  delete box;
}

// hostOpen(brokerPath?: string) -> host external; throws an Error with the reason on failure.
napi_value host_open(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 1);
    napi_valuetype type;
    check_napi(env, napi_typeof(env, args[0], &type));
    const bool has_path = type != napi_undefined && type != napi_null;
    const std::string path = has_path ? to_string(env, args[0], 4096) : std::string();
    char error[512] = {};
    wsd_host* host = wsd_host_open(has_path ? path.c_str() : nullptr, error, sizeof error);
    if (host == nullptr) {
      napi_throw_error(env, nullptr, error[0] ? error : "wasi-socketd: cannot open a session");
      throw PendingException{};
    }
    auto* box = new HostBox{host, {}};
    napi_value external;
    if (napi_create_external(env, box, finalize_host, nullptr, &external) != napi_ok) {
      finalize_host(env, box, nullptr);
      check_napi(env, napi_generic_failure);
    }
    return external;
  });
}

// hostClose(host): closes the session now; later calls on this host throw.
napi_value host_close(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 1);
    HostBox& box = args.host_box();
    wsd_host_close(box.host);
    box.host = nullptr;
    return js_undefined(env);
  });
}

napi_value resource_drop(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    check(env, args.host_box(), wsd_resource_drop(args.host(), to_u32(env, args[1])));
    return js_undefined(env);
  });
}

napi_value default_socket_path(napi_env env, napi_callback_info) {
  return guarded(env, [&] { return js_string(env, wasi_socketd::default_socket_path()); });
}

// untrustedDefaultSocketReason() -> string, or undefined when the default path may be used.
napi_value untrusted_default_socket_reason(napi_env env, napi_callback_info) {
  return guarded(env, [&]() -> napi_value {
    const auto doubt = wasi_socketd::untrusted_default_socket_reason();
    if (!doubt) {
      napi_value undefined;
      napi_get_undefined(env, &undefined);
      return undefined;
    }
    return js_string(env, *doubt);
  });
}

constexpr Function kFunctions[] = {
    {"hostOpen", host_open},
    {"hostClose", host_close},
    {"resourceDrop", resource_drop},
    {"defaultSocketPath", default_socket_path},
    {"untrustedDefaultSocketReason", untrusted_default_socket_reason},
};

}  // namespace

void register_host(napi_env env, napi_value exports) { define_functions(env, exports, kFunctions); }

}  // namespace wasi_socketd::adapter::napi
