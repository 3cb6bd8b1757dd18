#include "tcp_stream_pump.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <limits>

#include "errno_map.h"

namespace wasi_socketd::sockets {
namespace {

// Bytes one readiness handler reads before yielding to other sockets on the event loop.
constexpr std::uint64_t kReadBudgetPerWakeup = 1024 * 1024;
constexpr std::size_t kMaxIovecs = 16;

}  // namespace

TcpStreamPump::TcpStreamPump(Strand strand, boost::asio::ip::tcp::socket& socket,
                             std::weak_ptr<void> lifetime)
    : strand_(std::move(strand)), socket_(socket), lifetime_(std::move(lifetime)) {}

TcpStreamPump::~TcpStreamPump() { cancel(); }

// --- Reading -------------------------------------------------------------------------------

void TcpStreamPump::add_read_credit(std::uint64_t bytes) {
  strand_.assert_on_sequence();
  if (cancelled_ || input_done_ || bytes == 0) return;
  read_credit_ = std::min(read_credit_, std::numeric_limits<std::uint64_t>::max() - bytes) + bytes;
  if (!read_waiting_) arm_read_wait();
}

void TcpStreamPump::stop_reading() {
  strand_.assert_on_sequence();
  input_done_ = true;
  read_credit_ = 0;
}

void TcpStreamPump::arm_read_wait() {
  read_waiting_ = true;
  socket_.async_wait(boost::asio::socket_base::wait_read,
                     boost::asio::bind_executor(
                         strand_, [this, lifetime = lifetime_](boost::system::error_code error) {
                           const auto alive = lifetime.lock();
                           if (!alive) return;
                           read_waiting_ = false;
                           if (error || cancelled_) return;
                           read_available();
                         }));
}

void TcpStreamPump::read_available() {
  // Shared by every socket on this thread: chunks go to the observer synchronously, so idle
  // connections hold no read memory.
  static thread_local std::vector<std::byte> buffer(kMaxChunk);
  std::uint64_t budget = kReadBudgetPerWakeup;
  while (read_credit_ > 0 && budget > 0 && !input_done_ && !cancelled_) {
    const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(read_credit_, kMaxChunk));
    const ssize_t received = ::recv(socket_.native_handle(), buffer.data(), wanted, 0);
    if (received > 0) {
      const auto n = static_cast<std::size_t>(received);
      read_credit_ -= n;
      budget -= std::min<std::uint64_t>(budget, n);
      if (observer_ != nullptr) observer_->data_received(std::span(buffer.data(), n));
    } else if (received == 0) {
      // The kernel reports a reset once: when a write took it first, recv() sees only an end of
      // stream, and the input ends with the reset as a read that came first would have.
      const bool reset = output_error_ == ErrorCode::connection_reset;
      end_input(reset ? output_error_ : std::nullopt);
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      break;
    } else {
      end_input(error_from_errno(SocketOperation::stream_read, errno));
    }
  }
  // Either the kernel ran dry, the budget is spent (the wait completes at once, after other
  // sockets had their turn) or the credit is gone (add_read_credit re-arms).
  if (read_credit_ > 0 && !input_done_ && !cancelled_ && !read_waiting_) arm_read_wait();
}

void TcpStreamPump::end_input(std::optional<ErrorCode> error) {
  input_done_ = true;
  read_credit_ = 0;
  if (observer_ != nullptr) observer_->input_ended(error);
}

// --- Writing -------------------------------------------------------------------------------

Result<void> TcpStreamPump::write(std::span<const std::byte> bytes) {
  strand_.assert_on_sequence();
  if (cancelled_ || output_closed_) return ErrorCode::invalid_state;
  accepted_ += bytes.size();
  if (output_error_ || bytes.empty()) {
    check_flush_waiters();
    return {};
  }
  // Nothing queued: hand the bytes to the kernel directly and copy only what it refuses.
  if (write_queue_.empty()) {
    ssize_t sent;
    do {
      sent = ::send(socket_.native_handle(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      fail_output(error_from_errno(SocketOperation::stream_write, errno));
      return {};
    }
    if (sent > 0) {
      bytes = bytes.subspan(static_cast<std::size_t>(sent));
      acknowledge(static_cast<std::size_t>(sent));
    }
    if (bytes.empty()) return {};
  }
  write_queue_.emplace_back(bytes.begin(), bytes.end());
  if (!write_waiting_) arm_write_wait();
  return {};
}

void TcpStreamPump::write_queued() {
  while (!write_queue_.empty()) {
    iovec vectors[kMaxIovecs];
    std::size_t count = 0;
    for (auto it = write_queue_.begin(); it != write_queue_.end() && count < kMaxIovecs;
         ++it, ++count) {
      const std::size_t skip = count == 0 ? front_offset_ : 0;
      vectors[count].iov_base = it->data() + skip;
      vectors[count].iov_len = it->size() - skip;
    }
    msghdr message{};
    message.msg_iov = vectors;
    message.msg_iovlen = count;
    const ssize_t sent = ::sendmsg(socket_.native_handle(), &message, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        arm_write_wait();
        return;
      }
      fail_output(error_from_errno(SocketOperation::stream_write, errno));
      return;
    }
    consume_sent(static_cast<std::size_t>(sent));
  }
}

void TcpStreamPump::consume_sent(std::size_t sent) {
  acknowledge(sent);
  while (sent > 0) {
    const std::size_t left_in_front = write_queue_.front().size() - front_offset_;
    if (sent < left_in_front) {
      front_offset_ += sent;
      break;
    }
    sent -= left_in_front;
    write_queue_.pop_front();
    front_offset_ = 0;
  }
}

void TcpStreamPump::acknowledge(std::size_t sent) {
  written_ += sent;
  unacknowledged_ += sent;
  post_acknowledgement();
  check_flush_waiters();
}

void TcpStreamPump::arm_write_wait() {
  write_waiting_ = true;
  socket_.async_wait(boost::asio::socket_base::wait_write,
                     boost::asio::bind_executor(
                         strand_, [this, lifetime = lifetime_](boost::system::error_code error) {
                           const auto alive = lifetime.lock();
                           if (!alive) return;
                           write_waiting_ = false;
                           if (error || cancelled_) return;
                           write_queued();
                         }));
}

// Acknowledgements are batched and always delivered from their own handler, never from inside
// write(), so the observer may call write() again from bytes_written().
void TcpStreamPump::post_acknowledgement() {
  if (acknowledgement_posted_ || unacknowledged_ == 0) return;
  acknowledgement_posted_ = true;
  boost::asio::post(strand_, [this, lifetime = lifetime_] {
    const auto alive = lifetime.lock();
    if (!alive) return;
    acknowledgement_posted_ = false;
    const auto n = std::exchange(unacknowledged_, 0);
    if (observer_ != nullptr && !cancelled_ && n > 0) observer_->bytes_written(n);
  });
}

void TcpStreamPump::fail_output(ErrorCode error) {
  output_error_ = error;
  write_queue_.clear();
  front_offset_ = 0;
  post_acknowledgement();
  boost::asio::post(strand_, [this, lifetime = lifetime_, error] {
    const auto alive = lifetime.lock();
    if (alive && observer_ != nullptr && !cancelled_) observer_->output_failed(error);
  });
  check_flush_waiters();
}

// --- Flush waiters -------------------------------------------------------------------------

void TcpStreamPump::when_flushed(std::uint64_t write_offset, std::chrono::milliseconds limit,
                                 std::function<void(bool flushed)> done) {
  strand_.assert_on_sequence();
  FlushWaiter waiter{next_waiter_id_++, write_offset,
                     std::make_unique<boost::asio::steady_timer>(strand_, limit), std::move(done)};
  waiter.deadline->async_wait([this, lifetime = lifetime_, id = waiter.id](auto error) {
    const auto alive = lifetime.lock();
    if (!alive || error) return;
    complete_waiter(id, false);
  });
  flush_waiters_.push_back(std::move(waiter));
  check_flush_waiters();
}

void TcpStreamPump::check_flush_waiters() {
  std::vector<std::uint64_t> finished;
  for (const auto& waiter : flush_waiters_) {
    // After shutdown(send) no byte can come any more: an emptied queue is all there is.
    const bool nothing_more = output_closed_ && write_queue_.empty();
    if (output_error_ || cancelled_ || nothing_more ||
        (accepted_ >= waiter.offset && written_ >= waiter.offset)) {
      finished.push_back(waiter.id);
    }
  }
  for (auto id : finished) complete_waiter(id, !output_error_ && !cancelled_);
}

void TcpStreamPump::complete_waiter(std::uint64_t id, bool flushed) {
  auto it = std::find_if(flush_waiters_.begin(), flush_waiters_.end(),
                         [id](const FlushWaiter& waiter) { return waiter.id == id; });
  if (it == flush_waiters_.end()) return;
  it->deadline->cancel();
  // Posted, not called: `done` may destroy the owner of this pump.
  boost::asio::post(strand_, [done = std::move(it->done), flushed] { done(flushed); });
  flush_waiters_.erase(it);
}

void TcpStreamPump::cancel() {
  if (cancelled_) return;
  cancelled_ = true;
  observer_ = nullptr;
  write_queue_.clear();
  while (!flush_waiters_.empty()) complete_waiter(flush_waiters_.front().id, false);
}

}  // namespace wasi_socketd::sockets
