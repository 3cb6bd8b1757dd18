// Conversions between N-API values and the C ABI's types, and the one place where a wsd_* status
// becomes the JavaScript exception jco expects.
//
// Every binding body runs inside guarded(): a helper that fails throws the JS exception first and
// then the C++ PendingException, which guarded() turns into "return nullptr" (N-API's way of
// saying an exception is pending). Everything here runs on the JS thread only.
#pragma once

#include <node_api.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wasi_socketd/adapter.h"

namespace wasi_socketd::adapter::napi {

// A JS exception is already pending; unwind to guarded().
struct PendingException {};

// The host object behind the `host` external every binding takes first. Owned by the external:
// its finalizer closes a host the JS side forgot to close.
struct HostBox {
  wsd_host* host = nullptr;
  std::vector<uint8_t> scratch;  // read buffer reused across calls (JS thread only)
};

template <typename Body>
napi_value guarded(napi_env env, Body&& body) noexcept {
  try {
    return body();
  } catch (const PendingException&) {
    return nullptr;
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, e.what());
    return nullptr;
  }
}

// Arguments of one call: exactly `count` expected (missing ones read as undefined).
class Args {
 public:
  Args(napi_env env, napi_callback_info info, size_t count);
  napi_value operator[](size_t i) const { return values_[i]; }
  HostBox& host_box() const;  // argument 0
  wsd_host* host() const { return host_box().host; }

 private:
  napi_env env_;
  napi_value values_[6] = {};
};

// Throws a JS TypeError (a trap for the guest) and unwinds.
[[noreturn]] void throw_type_error(napi_env env, const std::string& message);
// Unwinds if an N-API call failed (its exception, or a generic one, is then pending).
void check_napi(napi_env env, napi_status status);

// Turns a non-OK wsd_* status into the JS exception the jco bindings expect and unwinds:
//   WSD_ERR_*          -> the WIT error-code string, e.g. "would-block"
//   WSD_STREAM_CLOSED  -> {tag: "closed"}
//   WSD_STREAM_FAILED  -> {tag: "last-operation-failed", val: <error handle number>}
//   WSD_TRAP / other   -> an Error (jco re-throws Error instances: the guest traps)
// Returns normally only for WSD_OK. `error_handle` points at the out-parameter the wsd_* call
// filled: it is read only here, after the call. (Passed by value, as in
// `check(env, box, f(..., &error), error)`, it could be copied before f ran, since argument
// evaluation order is unspecified: GCC handed the guest error handle 0 that way, issue 9 item 1.)
void check(napi_env env, const HostBox& box, int32_t status,
           const uint32_t* error_handle = nullptr);
// The WIT name of a WSD_ERR_* status ("would-block"); empty for anything else.
std::string_view error_code_name(int32_t status);

// JS -> C
uint32_t to_u32(napi_env env, napi_value v);
uint64_t to_u64(napi_env env, napi_value v);  // BigInt or Number
bool to_bool(napi_env env, napi_value v);
uint8_t to_family(napi_env env, napi_value v);         // "ipv4" | "ipv6"
uint8_t to_shutdown_type(napi_env env, napi_value v);  // "receive" | "send" | "both"
wsd_ip_socket_address to_socket_address(napi_env env, napi_value v);
wsd_ip_address to_ip_address(napi_env env, napi_value v);  // {tag, val: octets or segments}
std::optional<wsd_ip_socket_address> to_optional_socket_address(napi_env env, napi_value v);
std::span<const uint8_t> to_bytes(napi_env env, napi_value v);  // typed array or ArrayBuffer
std::string to_string(napi_env env, napi_value v, size_t max_len);
std::vector<uint32_t> to_u32_list(napi_env env, napi_value v);  // Uint32Array or array

// C -> JS
napi_value js_undefined(napi_env env);
napi_value js_u32(napi_env env, uint32_t v);
napi_value js_u64(napi_env env, uint64_t v);  // BigInt
napi_value js_bool(napi_env env, bool v);
napi_value js_string(napi_env env, std::string_view v);
napi_value js_family(napi_env env, uint8_t family);
napi_value js_ip_address(napi_env env, uint8_t family, const uint8_t* octets);
napi_value js_socket_address(napi_env env, const wsd_ip_socket_address& a);
napi_value js_bytes(napi_env env, const uint8_t* data, size_t len);       // Uint8Array (a copy)
napi_value js_u32_array(napi_env env, const uint32_t* values, size_t n);  // plain Array
napi_value js_tuple(napi_env env, std::initializer_list<uint32_t> handles);

// Installs `functions` as properties of `exports`.
struct Function {
  const char* name;
  napi_callback callback;
};
void define_functions(napi_env env, napi_value exports, std::span<const Function> functions);

}  // namespace wasi_socketd::adapter::napi
