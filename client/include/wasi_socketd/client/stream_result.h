// Outcome of a wasi:io stream operation: a value, closed, last-operation-failed, or session lost.
#pragma once

#include <utility>

#include "wasi_socketd/client/error_code.h"

namespace wasi_socketd::client {

enum class StreamStatus {
  kOk,
  kClosed,       // stream-error::closed
  kFailed,       // stream-error::last-operation-failed(error)
  kSessionLost,  // the broker connection is gone (embedders trap)
};

template <typename T>
struct [[nodiscard]] StreamResult {
  StreamStatus status = StreamStatus::kOk;
  T value{};
  ErrorCode error = ErrorCode::kUnknown;  // meaningful for kFailed

  bool ok() const { return status == StreamStatus::kOk; }
  static StreamResult of(T v) { return {StreamStatus::kOk, std::move(v), ErrorCode::kUnknown}; }
  static StreamResult closed() { return {StreamStatus::kClosed, T{}, ErrorCode::kUnknown}; }
  static StreamResult failed(ErrorCode e) { return {StreamStatus::kFailed, T{}, e}; }
  static StreamResult lost() { return {StreamStatus::kSessionLost, T{}, ErrorCode::kSessionLost}; }
};

}  // namespace wasi_socketd::client
