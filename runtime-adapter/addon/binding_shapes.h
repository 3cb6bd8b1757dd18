// Generic N-API bindings for the C ABI's recurring function shapes, so each interface file only
// spells out the functions that need special conversions. Template arguments are the wsd_*
// functions themselves; all run on the JS thread.
#pragma once

#include <limits>
#include <type_traits>

#include "napi_support.h"

namespace wasi_socketd::adapter::napi {

inline napi_value to_js(napi_env env, bool v) { return js_bool(env, v); }
inline napi_value to_js(napi_env env, uint8_t v) { return js_u32(env, v); }
inline napi_value to_js(napi_env env, uint32_t v) { return js_u32(env, v); }
inline napi_value to_js(napi_env env, uint64_t v) { return js_u64(env, v); }

template <typename T>
T from_js(napi_env env, napi_value v) {
  if constexpr (std::is_same_v<T, bool>) {
    return to_bool(env, v);
  } else if constexpr (std::is_same_v<T, uint64_t>) {
    return to_u64(env, v);
  } else {
    static_assert(std::is_same_v<T, uint8_t> || std::is_same_v<T, uint32_t>);
    const uint32_t value = to_u32(env, v);
    if (value > std::numeric_limits<T>::max()) throw_type_error(env, "value out of range");
    return static_cast<T>(value);
  }
}

// int32_t f(host, handle): returns undefined.
template <int32_t (*Fn)(wsd_host*, uint32_t)>
napi_value call_on_handle(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    check(env, args.host_box(), Fn(args.host(), to_u32(env, args[1])));
    return js_undefined(env);
  });
}

// int32_t f(host, handle, uint32_t* new_handle): returns the new handle (e.g. subscribe).
template <int32_t (*Fn)(wsd_host*, uint32_t, uint32_t*)>
napi_value make_handle(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    uint32_t handle = 0;
    check(env, args.host_box(), Fn(args.host(), to_u32(env, args[1]), &handle));
    return js_u32(env, handle);
  });
}

template <typename F>
struct OutParam;
template <typename T>
struct OutParam<int32_t (*)(wsd_host*, uint32_t, T*)> {
  using type = T;
};
template <typename F>
struct InParam;
template <typename T>
struct InParam<int32_t (*)(wsd_host*, uint32_t, T)> {
  using type = T;
};

// int32_t f(host, handle, T* value): returns the value (option getters, booleans, sizes).
template <auto Fn>
napi_value get_value(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    typename OutParam<decltype(Fn)>::type value{};
    check(env, args.host_box(), Fn(args.host(), to_u32(env, args[1]), &value));
    return to_js(env, value);
  });
}

// int32_t f(host, handle, T value): the setters.
template <auto Fn>
napi_value set_value(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 3);
    using T = typename InParam<decltype(Fn)>::type;
    check(env, args.host_box(), Fn(args.host(), to_u32(env, args[1]), from_js<T>(env, args[2])));
    return js_undefined(env);
  });
}

// int32_t f(host, family, uint32_t* socket): create-tcp-socket / create-udp-socket.
template <int32_t (*Fn)(wsd_host*, uint8_t, uint32_t*)>
napi_value create_socket(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    uint32_t socket = 0;
    check(env, args.host_box(), Fn(args.host(), to_family(env, args[1]), &socket));
    return js_u32(env, socket);
  });
}

// start-bind / start-connect: (socket, network, ip-socket-address).
template <int32_t (*Fn)(wsd_host*, uint32_t, uint32_t, const wsd_ip_socket_address*)>
napi_value start_with_address(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 4);
    const wsd_ip_socket_address address = to_socket_address(env, args[3]);
    check(env, args.host_box(),
          Fn(args.host(), to_u32(env, args[1]), to_u32(env, args[2]), &address));
    return js_undefined(env);
  });
}

// local-address / remote-address.
template <int32_t (*Fn)(wsd_host*, uint32_t, wsd_ip_socket_address*)>
napi_value get_socket_address(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    wsd_ip_socket_address address{};
    check(env, args.host_box(), Fn(args.host(), to_u32(env, args[1]), &address));
    return js_socket_address(env, address);
  });
}

// address-family: "ipv4" | "ipv6".
template <int32_t (*Fn)(wsd_host*, uint32_t, uint8_t*)>
napi_value get_family(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    uint8_t family = 0;
    check(env, args.host_box(), Fn(args.host(), to_u32(env, args[1]), &family));
    return js_family(env, family);
  });
}

}  // namespace wasi_socketd::adapter::napi
