// TcpStreams: the input-stream and output-stream of one connected TCP socket.
//
// Reads come from the read-ahead the broker pushed (ReadCredit goes back as data is consumed,
// batched); writes go out on the Attach stream against the write permit; flush completes when the
// broker acknowledged every byte. Non-blocking calls never wait; blocking_* calls wait on the
// session's mirror and return kSessionLost at once if the broker goes away. Cheap to copy; not
// thread-safe per socket.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "wasi_socketd/client/session.h"
#include "wasi_socketd/client/stream_result.h"

namespace wasi_socketd::client {

class TcpStreams {
 public:
  TcpStreams(std::shared_ptr<Session> session, std::uint64_t socket_id);

  // ---- input-stream ----
  // Up to out.size() buffered bytes; 0 bytes when nothing is buffered yet (or out is empty).
  StreamResult<std::uint64_t> read(std::span<std::uint8_t> out);
  // Waits until at least one byte, the end, or a failure (returns at once for an empty out).
  StreamResult<std::uint64_t> blocking_read(std::span<std::uint8_t> out);
  StreamResult<std::uint64_t> skip(std::uint64_t n);
  StreamResult<std::uint64_t> blocking_skip(std::uint64_t n);
  // Data, end or failure is there (what the input pollable reports).
  bool input_ready() const;
  // The same, for use inside Session::wait_until predicates (mirror already locked).
  bool input_ready_in(const Mirror& m) const;

  // ---- output-stream ----
  // The local permit: never more than the broker granted, 0 while a flush is in progress.
  StreamResult<std::uint64_t> check_write();
  // Precondition: data.size() <= check_write() (or a permit it gave before a flush that is still
  // in progress); larger writes fail with invalid-argument unsent.
  StreamResult<std::uint64_t> write(std::span<const std::uint8_t> data);
  StreamResult<std::uint64_t> flush();
  StreamResult<std::uint64_t> blocking_flush();
  // check-write would report > 0, or the stream is closed/failed (the output pollable).
  bool output_ready() const;
  bool output_ready_in(const Mirror& m) const;
  // Total bytes written so far (the write_offset for Shutdown and Drop).
  std::uint64_t write_offset() const;

 private:
  StreamResult<std::uint64_t> take(std::uint8_t* out, std::uint64_t n, bool blocking);
  // Frames to the broker; false when the session is dead.
  bool send_credit(std::uint64_t bytes);
  bool send_data(std::span<const std::uint8_t> data);

  std::shared_ptr<Session> session_;
  std::uint64_t id_;
};

}  // namespace wasi_socketd::client
