#include "napi_support.h"

#include <array>
#include <cstring>
#include <string_view>

namespace wasi_socketd::adapter::napi {
namespace {

[[noreturn]] void throw_value(napi_env env, napi_value value) {
  napi_throw(env, value);
  throw PendingException{};
}

[[noreturn]] void throw_error(napi_env env, const std::string& message) {
  napi_throw_error(env, nullptr, message.c_str());
  throw PendingException{};
}

napi_value js_object(napi_env env) {
  napi_value obj;
  check_napi(env, napi_create_object(env, &obj));
  return obj;
}

void set(napi_env env, napi_value obj, const char* key, napi_value value) {
  check_napi(env, napi_set_named_property(env, obj, key, value));
}

napi_value get(napi_env env, napi_value obj, const char* key) {
  napi_value value;
  check_napi(env, napi_get_named_property(env, obj, key, &value));
  return value;
}

napi_valuetype type_of(napi_env env, napi_value v) {
  napi_valuetype type;
  check_napi(env, napi_typeof(env, v, &type));
  return type;
}

// A JS array of numbers into `out`, each at most `max`.
template <size_t N>
void to_number_array(napi_env env, napi_value v, uint32_t max, std::array<uint32_t, N>& out) {
  bool is_array = false;
  check_napi(env, napi_is_array(env, v, &is_array));
  uint32_t length = 0;
  if (is_array) check_napi(env, napi_get_array_length(env, v, &length));
  if (!is_array || length != N) throw_type_error(env, "ip address: wrong number of segments");
  for (uint32_t i = 0; i < N; ++i) {
    napi_value item;
    check_napi(env, napi_get_element(env, v, i, &item));
    out[i] = to_u32(env, item);
    if (out[i] > max) throw_type_error(env, "ip address: segment out of range");
  }
}

}  // namespace

Args::Args(napi_env env, napi_callback_info info, size_t count) : env_(env) {
  size_t argc = std::size(values_);
  check_napi(env, napi_get_cb_info(env, info, &argc, values_, nullptr, nullptr));
  for (size_t i = argc; i < count && i < std::size(values_); ++i) values_[i] = js_undefined(env);
}

HostBox& Args::host_box() const {
  void* data = nullptr;
  if (type_of(env_, values_[0]) != napi_external ||
      napi_get_value_external(env_, values_[0], &data) != napi_ok || data == nullptr) {
    throw_type_error(env_, "wasi-socketd: not a host");
  }
  auto& box = *static_cast<HostBox*>(data);
  if (box.host == nullptr) throw_error(env_, "wasi-socketd: host already closed");
  return box;
}

void throw_type_error(napi_env env, const std::string& message) {
  napi_throw_type_error(env, nullptr, message.c_str());
  throw PendingException{};
}

void check_napi(napi_env env, napi_status status) {
  if (status == napi_ok) return;
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) {
    const napi_extended_error_info* info = nullptr;
    napi_get_last_error_info(env, &info);
    napi_throw_error(env, nullptr,
                     info && info->error_message ? info->error_message : "N-API call failed");
  }
  throw PendingException{};
}

void check(napi_env env, const HostBox& box, int32_t status, const uint32_t* error_handle) {
  if (status == WSD_OK) return;
  if (const std::string_view name = error_code_name(status); !name.empty()) {
    throw_value(env, js_string(env, name));
  }
  if (status == WSD_STREAM_CLOSED) {
    napi_value error = js_object(env);
    set(env, error, "tag", js_string(env, "closed"));
    throw_value(env, error);
  }
  if (status == WSD_STREAM_FAILED) {
    // 0 is never a valid handle: a failure without its error resource is our bug, a trap.
    if (error_handle == nullptr || *error_handle == 0) {
      throw_error(env, "wasi-socketd: stream failure without an error resource");
    }
    napi_value error = js_object(env);
    set(env, error, "tag", js_string(env, "last-operation-failed"));
    set(env, error, "val", js_u32(env, *error_handle));
    throw_value(env, error);
  }
  if (status == WSD_TRAP) throw_error(env, wsd_host_trap_message(box.host));
  throw_error(env, "wasi-socketd: unexpected adapter status " + std::to_string(status));
}

std::string_view error_code_name(int32_t status) {
  const char* name = wsd_error_code_name(status);
  return name ? std::string_view(name) : std::string_view();
}

uint32_t to_u32(napi_env env, napi_value v) {
  if (type_of(env, v) == napi_bigint) return static_cast<uint32_t>(to_u64(env, v));
  uint32_t out = 0;
  if (napi_get_value_uint32(env, v, &out) != napi_ok) throw_type_error(env, "expected a number");
  return out;
}

uint64_t to_u64(napi_env env, napi_value v) {
  if (type_of(env, v) == napi_number) {
    int64_t n = 0;
    check_napi(env, napi_get_value_int64(env, v, &n));
    return static_cast<uint64_t>(n);
  }
  uint64_t out = 0;
  bool lossless = false;
  if (napi_get_value_bigint_uint64(env, v, &out, &lossless) != napi_ok) {
    throw_type_error(env, "expected a bigint");
  }
  return out;
}

bool to_bool(napi_env env, napi_value v) {
  bool out = false;
  if (napi_get_value_bool(env, v, &out) != napi_ok) throw_type_error(env, "expected a boolean");
  return out;
}

uint8_t to_family(napi_env env, napi_value v) {
  const std::string family = to_string(env, v, 8);
  if (family == "ipv4") return WSD_IPV4;
  if (family == "ipv6") return WSD_IPV6;
  throw_type_error(env, "expected an ip-address-family");
}

uint8_t to_shutdown_type(napi_env env, napi_value v) {
  const std::string how = to_string(env, v, 8);
  if (how == "receive") return WSD_SHUTDOWN_RECEIVE;
  if (how == "send") return WSD_SHUTDOWN_SEND;
  if (how == "both") return WSD_SHUTDOWN_BOTH;
  throw_type_error(env, "expected a shutdown-type");
}

namespace {

// The WIT's address tuple (4 octets, or 8 big-endian u16 segments) as network-order octets.
void to_octets(napi_env env, uint8_t family, napi_value tuple, uint8_t* out) {
  if (family == WSD_IPV4) {
    std::array<uint32_t, 4> octets{};
    to_number_array(env, tuple, 0xff, octets);
    for (size_t i = 0; i < octets.size(); ++i) out[i] = static_cast<uint8_t>(octets[i]);
  } else {
    std::array<uint32_t, 8> segments{};
    to_number_array(env, tuple, 0xffff, segments);
    for (size_t i = 0; i < segments.size(); ++i) {
      out[2 * i] = static_cast<uint8_t>(segments[i] >> 8);
      out[2 * i + 1] = static_cast<uint8_t>(segments[i]);
    }
  }
}

}  // namespace

wsd_ip_address to_ip_address(napi_env env, napi_value v) {
  if (type_of(env, v) != napi_object) throw_type_error(env, "expected an ip-address");
  wsd_ip_address out{};
  out.family = to_family(env, get(env, v, "tag"));
  to_octets(env, out.family, get(env, v, "val"), out.octets);
  return out;
}

wsd_ip_socket_address to_socket_address(napi_env env, napi_value v) {
  if (type_of(env, v) != napi_object) throw_type_error(env, "expected an ip-socket-address");
  wsd_ip_socket_address out{};
  out.family = to_family(env, get(env, v, "tag"));
  napi_value val = get(env, v, "val");
  if (type_of(env, val) != napi_object) throw_type_error(env, "expected an ip-socket-address");
  const uint32_t port = to_u32(env, get(env, val, "port"));
  if (port > 0xffff) throw_type_error(env, "port out of range");
  out.port = static_cast<uint16_t>(port);
  to_octets(env, out.family, get(env, val, "address"), out.address);
  if (out.family == WSD_IPV6) {
    out.flow_info = to_u32(env, get(env, val, "flowInfo"));
    out.scope_id = to_u32(env, get(env, val, "scopeId"));
  }
  return out;
}

std::optional<wsd_ip_socket_address> to_optional_socket_address(napi_env env, napi_value v) {
  const napi_valuetype type = type_of(env, v);
  if (type == napi_undefined || type == napi_null) return std::nullopt;
  return to_socket_address(env, v);
}

std::span<const uint8_t> to_bytes(napi_env env, napi_value v) {
  bool is_typed = false;
  check_napi(env, napi_is_typedarray(env, v, &is_typed));
  if (is_typed) {
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    check_napi(env, napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr));
    if (type != napi_uint8_array && type != napi_int8_array && type != napi_uint8_clamped_array) {
      throw_type_error(env, "expected a Uint8Array");
    }
    return {static_cast<const uint8_t*>(data), length};
  }
  bool is_buffer = false;
  check_napi(env, napi_is_arraybuffer(env, v, &is_buffer));
  if (!is_buffer) throw_type_error(env, "expected a Uint8Array");
  void* data = nullptr;
  size_t length = 0;
  check_napi(env, napi_get_arraybuffer_info(env, v, &data, &length));
  return {static_cast<const uint8_t*>(data), length};
}

std::string to_string(napi_env env, napi_value v, size_t max_len) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &length) != napi_ok) {
    throw_type_error(env, "expected a string");
  }
  // Longer than allowed: keep one byte more than max so the callee still sees "too long".
  std::string out(std::min(length, max_len + 1), '\0');
  size_t copied = 0;
  check_napi(env, napi_get_value_string_utf8(env, v, out.data(), out.size() + 1, &copied));
  out.resize(copied);
  return out;
}

std::vector<uint32_t> to_u32_list(napi_env env, napi_value v) {
  bool is_typed = false;
  check_napi(env, napi_is_typedarray(env, v, &is_typed));
  if (is_typed) {
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    check_napi(env, napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr));
    if (type != napi_uint32_array) throw_type_error(env, "expected a Uint32Array");
    const auto* values = static_cast<const uint32_t*>(data);
    return {values, values + length};
  }
  bool is_array = false;
  check_napi(env, napi_is_array(env, v, &is_array));
  if (!is_array) throw_type_error(env, "expected a list of handles");
  uint32_t length = 0;
  check_napi(env, napi_get_array_length(env, v, &length));
  std::vector<uint32_t> out(length);
  for (uint32_t i = 0; i < length; ++i) {
    napi_value item;
    check_napi(env, napi_get_element(env, v, i, &item));
    out[i] = to_u32(env, item);
  }
  return out;
}

napi_value js_undefined(napi_env env) {
  napi_value v;
  check_napi(env, napi_get_undefined(env, &v));
  return v;
}

napi_value js_u32(napi_env env, uint32_t value) {
  napi_value v;
  check_napi(env, napi_create_uint32(env, value, &v));
  return v;
}

napi_value js_u64(napi_env env, uint64_t value) {
  napi_value v;
  check_napi(env, napi_create_bigint_uint64(env, value, &v));
  return v;
}

napi_value js_bool(napi_env env, bool value) {
  napi_value v;
  check_napi(env, napi_get_boolean(env, value, &v));
  return v;
}

napi_value js_string(napi_env env, std::string_view value) {
  napi_value v;
  check_napi(env, napi_create_string_utf8(env, value.data(), value.size(), &v));
  return v;
}

napi_value js_family(napi_env env, uint8_t family) {
  return js_string(env, family == WSD_IPV6 ? "ipv6" : "ipv4");
}

napi_value js_ip_address(napi_env env, uint8_t family, const uint8_t* octets) {
  napi_value segments;
  if (family == WSD_IPV4) {
    check_napi(env, napi_create_array_with_length(env, 4, &segments));
    for (uint32_t i = 0; i < 4; ++i) {
      check_napi(env, napi_set_element(env, segments, i, js_u32(env, octets[i])));
    }
  } else {
    check_napi(env, napi_create_array_with_length(env, 8, &segments));
    for (uint32_t i = 0; i < 8; ++i) {
      const uint32_t segment = (uint32_t{octets[2 * i]} << 8) | octets[2 * i + 1];
      check_napi(env, napi_set_element(env, segments, i, js_u32(env, segment)));
    }
  }
  napi_value out = js_object(env);
  set(env, out, "tag", js_family(env, family));
  set(env, out, "val", segments);
  return out;
}

napi_value js_socket_address(napi_env env, const wsd_ip_socket_address& a) {
  napi_value ip = js_ip_address(env, a.family, a.address);
  napi_value val = js_object(env);
  set(env, val, "port", js_u32(env, a.port));
  set(env, val, "address", get(env, ip, "val"));
  if (a.family == WSD_IPV6) {
    set(env, val, "flowInfo", js_u32(env, a.flow_info));
    set(env, val, "scopeId", js_u32(env, a.scope_id));
  }
  napi_value out = js_object(env);
  set(env, out, "tag", js_family(env, a.family));
  set(env, out, "val", val);
  return out;
}

napi_value js_bytes(napi_env env, const uint8_t* data, size_t len) {
  void* storage = nullptr;
  napi_value buffer;
  check_napi(env, napi_create_arraybuffer(env, len, &storage, &buffer));
  if (len > 0) std::memcpy(storage, data, len);
  napi_value array;
  check_napi(env, napi_create_typedarray(env, napi_uint8_array, len, buffer, 0, &array));
  return array;
}

napi_value js_u32_array(napi_env env, const uint32_t* values, size_t n) {
  napi_value array;
  check_napi(env, napi_create_array_with_length(env, n, &array));
  for (size_t i = 0; i < n; ++i) {
    check_napi(env, napi_set_element(env, array, static_cast<uint32_t>(i), js_u32(env, values[i])));
  }
  return array;
}

napi_value js_tuple(napi_env env, std::initializer_list<uint32_t> handles) {
  return js_u32_array(env, handles.begin(), handles.size());
}

void define_functions(napi_env env, napi_value exports, std::span<const Function> functions) {
  std::vector<napi_property_descriptor> properties;
  properties.reserve(functions.size());
  for (const Function& f : functions) {
    properties.push_back(
        {f.name, nullptr, f.callback, nullptr, nullptr, nullptr, napi_enumerable, nullptr});
  }
  check_napi(env, napi_define_properties(env, exports, properties.size(), properties.data()));
}

}  // namespace wasi_socketd::adapter::napi
