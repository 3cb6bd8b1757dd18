// The C ABI boundary: runs one host operation, turning traps and client outcomes into the
// int32_t codes of adapter.h. Every wsd_* function body goes through abi_call().
#pragma once

#include <cstdint>
#include <exception>
#include <string>

#include "abi_error_code.h"
#include "host.h"
#include "trap.h"
#include "wasi_socketd/client/result.h"
#include "wasi_socketd/client/stream_result.h"

namespace wasi_socketd::adapter {

// Runs body(Host&) (which returns a WSD_* code); traps become WSD_TRAP with their message.
// The broker being gone is a trap for every call.
template <typename Body>
std::int32_t abi_call(wsd_host* h, Body&& body) {
  if (h == nullptr || !h->host) return WSD_TRAP;
  try {
    h->host->require_alive();
    return body(*h->host);
  } catch (const Trap& t) {
    h->trap_message = t.message;
  } catch (const std::exception& e) {
    h->trap_message = std::string("wasi-socketd: internal error: ") + e.what();
  }
  return WSD_TRAP;
}

// The WSD_ERR_* of a client error; the session being lost is a trap.
inline std::int32_t error_code_of(client::ErrorCode code) {
  if (code == client::ErrorCode::kSessionLost) trap(kBrokerLost);
  return abi_error_code(static_cast<std::size_t>(code));
}

inline std::int32_t code_of(const client::Status& status) {
  return status ? WSD_OK : error_code_of(status.error());
}

// Stores a result's value through `out` on success.
template <typename T, typename Out, typename Convert>
std::int32_t deliver(client::Result<T> result, Out* out, Convert convert) {
  if (!result) return error_code_of(result.error());
  *out = convert(*result);
  return WSD_OK;
}

template <typename T, typename Out>
std::int32_t deliver(client::Result<T> result, Out* out) {
  return deliver(std::move(result), out, [](const T& v) { return static_cast<Out>(v); });
}

// The code of a stream outcome; a failure hands the guest a new error resource.
template <typename T>
std::int32_t stream_code(Host& host, const client::StreamResult<T>& result, std::uint32_t* error) {
  switch (result.status) {
    case client::StreamStatus::kOk:
      return WSD_OK;
    case client::StreamStatus::kClosed:
      return WSD_STREAM_CLOSED;
    case client::StreamStatus::kFailed:
      if (error != nullptr) *error = host.push_error(result.error);
      return WSD_STREAM_FAILED;
    case client::StreamStatus::kSessionLost:
      break;
  }
  trap(kBrokerLost);
}

// Out-parameters are required: a null one is the caller's bug, reported as a trap.
template <typename T>
T* out_param(T* p) {
  if (p == nullptr) trap("wasi-socketd: null out-parameter");
  return p;
}

}  // namespace wasi_socketd::adapter
