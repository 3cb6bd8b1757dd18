// The data path of one connected TCP socket: credit-bounded read-ahead and a lossless write
// queue, both non-blocking on the kernel socket and driven by readiness waits.
//
// Threading: lives on the owning TcpSocket's strand; all methods are called there and all
// observer events are delivered there.
// Ownership: a member of its TcpSocket, which owns the kernel socket. Asynchronous handlers hold
// `lifetime` (a weak reference to the owner) and do nothing once the owner is gone.
// Memory: nothing is buffered for reading (chunks are read into a per-thread 64 KiB buffer and
// handed to the observer at once, never beyond the granted credit); the write queue holds exactly
// the bytes given to write() that the kernel has not taken yet.
#pragma once

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "error_code.h"
#include "serial_executor.h"
#include "tcp_observer.h"

namespace wasi_socketd::sockets {

class TcpStreamPump {
 public:
  static constexpr std::size_t kMaxChunk = 64 * 1024;

  TcpStreamPump(Strand strand, boost::asio::ip::tcp::socket& socket, std::weak_ptr<void> lifetime);
  ~TcpStreamPump();
  TcpStreamPump(const TcpStreamPump&) = delete;
  TcpStreamPump& operator=(const TcpStreamPump&) = delete;

  void set_observer(TcpObserver* observer) { observer_ = observer; }

  void add_read_credit(std::uint64_t bytes);
  // Unused read credit is cut to at most `bytes`.
  void cap_read_credit(std::uint64_t bytes) { read_credit_ = std::min(read_credit_, bytes); }
  std::uint64_t read_credit() const { return read_credit_; }
  // Our own shutdown(receive): stop reading, discard what the kernel still holds.
  void stop_reading();

  // invalid-state once sending was shut down.
  Result<void> write(std::span<const std::byte> bytes);
  std::uint64_t bytes_accepted() const { return accepted_; }

  // Runs `done` (posted to the strand, never inline) once write() accepted `write_offset` bytes
  // in total and all of them reached the kernel: done(true). done(false) if the write side failed,
  // `limit` passed first or the pump was cancelled.
  void when_flushed(std::uint64_t write_offset, std::chrono::milliseconds limit,
                    std::function<void(bool flushed)> done);
  // No further write() is accepted (after shutdown(send)); pending when_flushed waiters are
  // satisfied once the queue is empty, whatever offset they wait for.
  void close_output() {
    output_closed_ = true;
    check_flush_waiters();
  }

  // Stop everything; later handlers do nothing. Pending when_flushed callbacks get false.
  void cancel();

 private:
  void arm_read_wait();
  void read_available();
  void end_input(std::optional<ErrorCode> error);
  void arm_write_wait();
  void write_queued();
  void consume_sent(std::size_t sent);  // drops sent bytes from the queue
  void acknowledge(std::size_t sent);   // counts them and schedules bytes_written
  void post_acknowledgement();
  void fail_output(ErrorCode error);
  void check_flush_waiters();
  void complete_waiter(std::uint64_t id, bool flushed);

  Strand strand_;
  boost::asio::ip::tcp::socket& socket_;
  std::weak_ptr<void> lifetime_;
  TcpObserver* observer_ = nullptr;

  // Reading.
  std::uint64_t read_credit_ = 0;
  bool read_waiting_ = false;
  bool input_done_ = false;

  // Writing.
  std::deque<std::vector<std::byte>> write_queue_;
  std::size_t front_offset_ = 0;      // bytes of write_queue_.front() already sent
  std::uint64_t accepted_ = 0;        // bytes given to write() in total
  std::uint64_t written_ = 0;         // bytes the kernel took in total
  std::uint64_t unacknowledged_ = 0;  // written, bytes_written not yet delivered
  bool acknowledgement_posted_ = false;
  bool write_waiting_ = false;
  bool output_closed_ = false;
  std::optional<ErrorCode> output_error_;

  struct FlushWaiter {
    std::uint64_t id;
    std::uint64_t offset;
    std::unique_ptr<boost::asio::steady_timer> deadline;
    std::function<void(bool)> done;
  };
  std::vector<FlushWaiter> flush_waiters_;
  std::uint64_t next_waiter_id_ = 0;
  bool cancelled_ = false;
};

}  // namespace wasi_socketd::sockets
