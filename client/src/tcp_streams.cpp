#include "wasi_socketd/client/tcp_streams.h"

#include <algorithm>
#include <utility>

#include "wasi_socketd/limits.h"

namespace wasi_socketd::client {

namespace {

using U64 = StreamResult<std::uint64_t>;

// Items per ClientFrame: keeps a frame well below the gRPC message limit.
constexpr std::size_t kItemsPerFrame = 4;

// The end of a stream as the guest sees it: the failure once, then closed.
U64 report_end(std::optional<ErrorCode>& error) {
  if (error) return U64::failed(*std::exchange(error, std::nullopt));
  return U64::closed();
}

// Room in the write window, even while a flush is in progress: flush only makes check-write say 0
// until it completes, and a write within a permit given before it is still taken (as wasmtime).
std::uint64_t window_room(const TcpStreamState& s) {
  const std::uint64_t in_flight = s.sent - s.acked;
  return s.write_permit > in_flight ? s.write_permit - in_flight : 0;
}

// Whether an output stream can take calls; the end otherwise.
std::optional<U64> output_closed(TcpStreamState* s) {
  if (s == nullptr || s->output_shut) return U64::closed();
  if (s->output_ended) return report_end(s->output_error);
  return std::nullopt;
}

}  // namespace

TcpStreams::TcpStreams(std::shared_ptr<Session> session, std::uint64_t socket_id)
    : session_(std::move(session)), id_(socket_id) {}

// ---- input-stream ----

U64 TcpStreams::read(std::span<std::uint8_t> out) { return take(out.data(), out.size(), false); }

U64 TcpStreams::blocking_read(std::span<std::uint8_t> out) {
  return take(out.data(), out.size(), true);
}

U64 TcpStreams::skip(std::uint64_t n) { return take(nullptr, n, false); }

U64 TcpStreams::blocking_skip(std::uint64_t n) { return take(nullptr, n, true); }

U64 TcpStreams::take(std::uint8_t* out, std::uint64_t n, bool blocking) {
  if (blocking && n > 0) {
    session_->wait_until([&](const Mirror& m) { return input_ready_in(m); }, kNoDeadline);
  }
  std::uint64_t credit = 0;
  U64 result = session_->with_mirror([&](Mirror& m) -> U64 {
    if (m.dead()) return U64::lost();
    TcpStreamState* s = m.tcp(id_);
    if (s == nullptr || s->input_shut) return U64::closed();
    if (s->buffered() == 0) return s->input_ended ? report_end(s->input_error) : U64::of(0);
    const std::uint64_t k = s->consume(out, n);
    credit = s->take_due_credit();
    return U64::of(k);
  });
  if (credit > 0 && !send_credit(credit)) return U64::lost();
  return result;
}

bool TcpStreams::input_ready() const {
  return session_->with_mirror([&](Mirror& m) { return input_ready_in(m); });
}

bool TcpStreams::input_ready_in(const Mirror& m) const {
  if (m.dead()) return true;
  const TcpStreamState* s = m.find_tcp(id_);
  return s == nullptr || s->input_shut || s->input_ended || s->buffered() > 0;
}

// ---- output-stream ----

U64 TcpStreams::check_write() {
  return session_->with_mirror([&](Mirror& m) -> U64 {
    if (m.dead()) return U64::lost();
    TcpStreamState* s = m.tcp(id_);
    if (auto end = output_closed(s)) return *end;
    return U64::of(s->write_room());
  });
}

U64 TcpStreams::write(std::span<const std::uint8_t> data) {
  U64 result = session_->with_mirror([&](Mirror& m) -> U64 {
    if (m.dead()) return U64::lost();
    TcpStreamState* s = m.tcp(id_);
    if (auto end = output_closed(s)) return *end;
    if (data.size() > window_room(*s)) return U64::failed(ErrorCode::kInvalidArgument);
    s->sent += data.size();
    return U64::of(data.size());
  });
  if (result.ok() && !data.empty() && !send_data(data)) return U64::lost();
  return result;
}

U64 TcpStreams::flush() {
  return session_->with_mirror([&](Mirror& m) -> U64 {
    if (m.dead()) return U64::lost();
    TcpStreamState* s = m.tcp(id_);
    if (auto end = output_closed(s)) return *end;
    s->flush_target = s->sent;
    return U64::of(0);
  });
}

U64 TcpStreams::blocking_flush() {
  if (U64 started = flush(); !started.ok()) return started;
  session_->wait_until(
      [&](const Mirror& m) {
        const TcpStreamState* s = m.find_tcp(id_);
        return s == nullptr || s->output_ended || s->acked >= s->flush_target;
      },
      kNoDeadline);
  return session_->with_mirror([&](Mirror& m) -> U64 {
    if (m.dead()) return U64::lost();
    TcpStreamState* s = m.tcp(id_);
    if (auto end = output_closed(s)) return *end;
    return U64::of(0);
  });
}

bool TcpStreams::output_ready() const {
  return session_->with_mirror([&](Mirror& m) { return output_ready_in(m); });
}

bool TcpStreams::output_ready_in(const Mirror& m) const {
  if (m.dead()) return true;
  const TcpStreamState* s = m.find_tcp(id_);
  return s == nullptr || s->output_shut || s->output_ended || s->write_room() > 0;
}

std::uint64_t TcpStreams::write_offset() const {
  return session_->with_mirror([&](Mirror& m) -> std::uint64_t {
    const TcpStreamState* s = m.find_tcp(id_);
    return s == nullptr ? 0 : s->sent;
  });
}

bool TcpStreams::send_credit(std::uint64_t bytes) {
  v1::ClientFrame frame;
  auto* credit = frame.add_items()->mutable_read_credit();
  credit->set_socket_id(id_);
  credit->set_bytes(bytes);
  return session_->send(std::move(frame));
}

bool TcpStreams::send_data(std::span<const std::uint8_t> data) {
  v1::ClientFrame frame;
  for (std::size_t at = 0; at < data.size();) {
    const std::size_t n = std::min(kMaxTcpChunk, data.size() - at);
    auto* item = frame.add_items()->mutable_tcp_write();
    item->set_socket_id(id_);
    item->set_data(reinterpret_cast<const char*>(data.data() + at), n);
    at += n;
    if (frame.items_size() == static_cast<int>(kItemsPerFrame) || at == data.size()) {
      if (!session_->send(std::exchange(frame, {}))) return false;
    }
  }
  return true;
}

}  // namespace wasi_socketd::client
