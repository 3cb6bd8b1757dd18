// C ABI: wasi:io/streams for the byte streams of TCP sockets.
//
// Non-blocking calls answer from the session mirror; blocking ones wait on it. The write permit
// is enforced here as the WIT states it: check-write's permit is for the next write only, and
// writing more than it allows is a trap. Where the reference host (wasmtime) leaves a permit in
// place we do too, so no guest it runs traps here: flush keeps it; blocking-flush and
// blocking-write-and-flush end ready for writing (wasmtime checks write readiness itself), so any
// write the window takes is allowed after them; splice's own check-write is the permit, spent
// only when it moved bytes.
#include <algorithm>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "abi_call.h"
#include "wasi_socketd/adapter.h"

using namespace wasi_socketd::adapter;
namespace client = wasi_socketd::client;

namespace {

// The WIT's limit for blocking-write-and-flush and blocking-write-zeroes-and-flush.
constexpr std::uint64_t kBlockingWriteLimit = 4096;

client::TcpStreams& input(Host& host, uint32_t stream) {
  return host.table().get<InputStreamResource>(stream).streams;
}

OutputStreamResource& output_resource(Host& host, uint32_t stream) {
  return host.table().get<OutputStreamResource>(stream);
}

client::TcpStreams& output(Host& host, uint32_t stream) {
  return output_resource(host, stream).streams;
}

int32_t read_into(Host& host, uint32_t stream, uint64_t len, uint8_t* buf, uint64_t* n,
                  uint32_t* error, bool blocking) {
  out_param(n);
  if (len > 0 && buf == nullptr) trap("wasi-socketd: null read buffer");
  auto& s = input(host, stream);
  std::span<uint8_t> out(buf, len);
  auto result = blocking ? s.blocking_read(out) : s.read(out);
  const int32_t code = stream_code(host, result, error);
  if (code == WSD_OK) *n = result.value;
  return code;
}

int32_t skip(Host& host, uint32_t stream, uint64_t len, uint64_t* n, uint32_t* error,
             bool blocking) {
  out_param(n);
  auto& s = input(host, stream);
  auto result = blocking ? s.blocking_skip(len) : s.skip(len);
  const int32_t code = stream_code(host, result, error);
  if (code == WSD_OK) *n = result.value;
  return code;
}

// The permit after blocking-flush and blocking-write-and-flush: whatever the window takes.
constexpr uint64_t kWindowPermit = std::numeric_limits<uint64_t>::max();
// Far above any write window a broker grants (wasi-socketd grants 1 MiB).
constexpr uint64_t kLargestWindow = 64u << 20;

// Spends the last check-write permit on a write of `len` bytes: WSD_OK, the end of a closed or
// failed stream (answered "without writing", whatever the length), or a trap past the permit.
// An empty write needs no permit and spends none.
int32_t spend_permit(Host& host, uint32_t stream, uint64_t len, uint32_t* error) {
  auto& resource = output_resource(host, stream);
  auto state = resource.streams.check_write();
  if (!state.ok()) return stream_code(host, state, error);
  if (len == 0) return WSD_OK;
  const uint64_t permitted = std::exchange(resource.permitted, 0);
  if (len > permitted) {
    trap("wasi-socketd: write of " + std::to_string(len) +
         " bytes exceeds the check-write permit of " + std::to_string(permitted));
  }
  return WSD_OK;
}

// Writes `data` once its permit is spent. The client refuses (invalid-argument, unsent) only a
// write larger than the window's room: with kWindowPermit that is the trap past the permit.
int32_t write_permitted(Host& host, uint32_t stream, std::span<const uint8_t> data,
                        uint32_t* error) {
  auto result = output(host, stream).write(data);
  if (result.status == client::StreamStatus::kFailed &&
      result.error == client::ErrorCode::kInvalidArgument) {
    trap("wasi-socketd: write of " + std::to_string(data.size()) +
         " bytes exceeds what check-write would permit");
  }
  return stream_code(host, result, error);
}

// write(): the permit spent, then the write itself.
int32_t write_checked(Host& host, uint32_t stream, std::span<const uint8_t> data, uint32_t* error) {
  if (const int32_t code = spend_permit(host, stream, data.size(), error); code != WSD_OK) {
    return code;
  }
  return write_permitted(host, stream, data, error);
}

void set_permit(Host& host, uint32_t stream, uint64_t permitted) {
  output_resource(host, stream).permitted = permitted;
}

// blocking-write-and-flush: writes in permit-sized pieces, waiting for permit, then flushes.
int32_t write_and_flush(Host& host, uint32_t stream, std::span<const uint8_t> data,
                        uint32_t* error) {
  if (data.size() > kBlockingWriteLimit) {
    trap("wasi-socketd: blocking write of more than 4096 bytes");
  }
  set_permit(host, stream, 0);
  auto& s = output(host, stream);
  while (!data.empty()) {
    host.session().wait_until([&](const client::Mirror& m) { return s.output_ready_in(m); },
                              client::kNoDeadline);
    auto permit = s.check_write();
    if (!permit.ok()) return stream_code(host, permit, error);
    const std::size_t n = std::min<std::uint64_t>(permit.value, data.size());
    if (const int32_t code = stream_code(host, s.write(data.first(n)), error); code != WSD_OK) {
      return code;
    }
    data = data.subspan(n);
  }
  const int32_t code = stream_code(host, s.blocking_flush(), error);
  if (code == WSD_OK) set_permit(host, stream, kWindowPermit);
  return code;
}

int32_t splice(Host& host, uint32_t stream, uint32_t src, uint64_t len, uint64_t* n,
               uint32_t* error, bool blocking) {
  out_param(n);
  auto& out = output(host, stream);
  auto& in = input(host, src);
  if (blocking) {
    host.session().wait_until([&](const client::Mirror& m) { return out.output_ready_in(m); },
                              client::kNoDeadline);
  }
  auto permit = out.check_write();
  if (!permit.ok()) return stream_code(host, permit, error);
  // splice is check-write, read, write: its check-write is the guest's permit until bytes move.
  set_permit(host, stream, permit.value);
  std::vector<uint8_t> buffer(std::min(len, permit.value));
  auto got = blocking ? in.blocking_read(buffer) : in.read(buffer);
  if (!got.ok()) return stream_code(host, got, error);
  if (got.value == 0) return WSD_OK;
  set_permit(host, stream, 0);
  const int32_t code =
      stream_code(host, out.write(std::span<const uint8_t>(buffer.data(), got.value)), error);
  if (code == WSD_OK) *n = got.value;
  return code;
}

}  // namespace

extern "C" {

int32_t wsd_input_stream_read(wsd_host* h, uint32_t stream, uint64_t len, uint8_t* buf, uint64_t* n,
                              uint32_t* error) {
  return abi_call(
      h, [&](Host& host) -> int32_t { return read_into(host, stream, len, buf, n, error, false); });
}

int32_t wsd_input_stream_blocking_read(wsd_host* h, uint32_t stream, uint64_t len, uint8_t* buf,
                                       uint64_t* n, uint32_t* error) {
  return abi_call(
      h, [&](Host& host) -> int32_t { return read_into(host, stream, len, buf, n, error, true); });
}

int32_t wsd_input_stream_skip(wsd_host* h, uint32_t stream, uint64_t len, uint64_t* n,
                              uint32_t* error) {
  return abi_call(h,
                  [&](Host& host) -> int32_t { return skip(host, stream, len, n, error, false); });
}

int32_t wsd_input_stream_blocking_skip(wsd_host* h, uint32_t stream, uint64_t len, uint64_t* n,
                                       uint32_t* error) {
  return abi_call(h,
                  [&](Host& host) -> int32_t { return skip(host, stream, len, n, error, true); });
}

int32_t wsd_input_stream_subscribe(wsd_host* h, uint32_t stream, uint32_t* pollable) {
  return abi_call(h, [&](Host& host) -> int32_t {
    auto ready = [s = input(host, stream)](const client::Mirror& m) { return s.input_ready_in(m); };
    *out_param(pollable) = host.table().push(PollableResource{ready, std::nullopt}, stream);
    return WSD_OK;
  });
}

int32_t wsd_output_stream_check_write(wsd_host* h, uint32_t stream, uint64_t* permit,
                                      uint32_t* error) {
  return abi_call(h, [&](Host& host) -> int32_t {
    out_param(permit);
    auto& resource = output_resource(host, stream);
    auto result = resource.streams.check_write();
    const int32_t code = stream_code(host, result, error);
    if (code == WSD_OK) *permit = resource.permitted = result.value;
    return code;
  });
}

int32_t wsd_output_stream_write(wsd_host* h, uint32_t stream, const uint8_t* buf, uint64_t len,
                                uint32_t* error) {
  return abi_call(h, [&](Host& host) -> int32_t {
    if (len > 0 && buf == nullptr) trap("wasi-socketd: null write buffer");
    return write_checked(host, stream, {buf, len}, error);
  });
}

int32_t wsd_output_stream_blocking_write_and_flush(wsd_host* h, uint32_t stream, const uint8_t* buf,
                                                   uint64_t len, uint32_t* error) {
  return abi_call(h, [&](Host& host) -> int32_t {
    if (len > 0 && buf == nullptr) trap("wasi-socketd: null write buffer");
    return write_and_flush(host, stream, {buf, len}, error);
  });
}

int32_t wsd_output_stream_flush(wsd_host* h, uint32_t stream, uint32_t* error) {
  return abi_call(h, [&](Host& host) -> int32_t {
    return stream_code(host, output(host, stream).flush(), error);
  });
}

int32_t wsd_output_stream_blocking_flush(wsd_host* h, uint32_t stream, uint32_t* error) {
  return abi_call(h, [&](Host& host) -> int32_t {
    const int32_t code = stream_code(host, output(host, stream).blocking_flush(), error);
    if (code == WSD_OK) set_permit(host, stream, kWindowPermit);
    return code;
  });
}

int32_t wsd_output_stream_write_zeroes(wsd_host* h, uint32_t stream, uint64_t len,
                                       uint32_t* error) {
  return abi_call(h, [&](Host& host) -> int32_t {
    // The permit first: a length past it traps before anything is allocated.
    if (const int32_t code = spend_permit(host, stream, len, error); code != WSD_OK) return code;
    // After blocking-flush the permit is the window: bound the buffer before allocating it.
    if (len > kLargestWindow)
      trap("wasi-socketd: write-zeroes exceeds what check-write would permit");
    const std::vector<uint8_t> zeroes(len);
    return write_permitted(host, stream, zeroes, error);
  });
}

int32_t wsd_output_stream_blocking_write_zeroes_and_flush(wsd_host* h, uint32_t stream,
                                                          uint64_t len, uint32_t* error) {
  return abi_call(h, [&](Host& host) -> int32_t {
    if (len > kBlockingWriteLimit) trap("wasi-socketd: blocking write of more than 4096 bytes");
    const std::vector<uint8_t> zeroes(len);
    return write_and_flush(host, stream, zeroes, error);
  });
}

int32_t wsd_output_stream_splice(wsd_host* h, uint32_t stream, uint32_t src, uint64_t len,
                                 uint64_t* n, uint32_t* error) {
  return abi_call(
      h, [&](Host& host) -> int32_t { return splice(host, stream, src, len, n, error, false); });
}

int32_t wsd_output_stream_blocking_splice(wsd_host* h, uint32_t stream, uint32_t src, uint64_t len,
                                          uint64_t* n, uint32_t* error) {
  return abi_call(
      h, [&](Host& host) -> int32_t { return splice(host, stream, src, len, n, error, true); });
}

int32_t wsd_output_stream_subscribe(wsd_host* h, uint32_t stream, uint32_t* pollable) {
  return abi_call(h, [&](Host& host) -> int32_t {
    auto ready = [s = output(host, stream)](const client::Mirror& m) {
      return s.output_ready_in(m);
    };
    *out_param(pollable) = host.table().push(PollableResource{ready, std::nullopt}, stream);
    return WSD_OK;
  });
}

}  // extern "C"
