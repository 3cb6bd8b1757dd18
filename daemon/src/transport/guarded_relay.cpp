#include "guarded_relay.h"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <utility>

namespace wasi_socketd::daemon {
namespace {

// One read's worth per io thread, shared by every relay that thread serves.
std::byte* chunk_buffer() {
  thread_local std::array<std::byte, GuardedRelay::kChunkBytes> buffer;
  return buffer.data();
}

bool would_block(int error) { return error == EAGAIN || error == EWOULDBLOCK; }

}  // namespace

bool GuardedRelay::open_socketpair(int (&ends)[2]) {
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, ends) != 0) {
    return false;
  }
  // What may queue between gRPC and the relay, either way. The relay writes what it read at once,
  // so by default the socketpair would hold a couple of hundred KiB of the client's frames
  // (thousands of small calls) that gRPC reads and starts in one go; and as much of gRPC's answers
  // beyond what the client's own socket holds, which lets calls finish, and more start, after the
  // client stopped reading. Either way past the bounds the daemon checks per call.
  for (const int end : ends) {
    ::setsockopt(end, SOL_SOCKET, SO_SNDBUF, &kSocketpairSendBuffer, sizeof kSocketpairSendBuffer);
  }
  return true;
}

bool GuardedRelay::start(boost::asio::io_context& io, int client_fd, int daemon_fd, Broken broken) {
  auto relay = std::make_shared<GuardedRelay>(io, std::move(broken));
  boost::system::error_code error;
  relay->client_.assign(client_fd, error);
  if (error) {
    ::close(client_fd);
    ::close(daemon_fd);
    return false;
  }
  relay->daemon_.assign(daemon_fd, error);
  if (error) {
    ::close(daemon_fd);
    return false;  // the relay closes the client's fd
  }
  boost::asio::post(relay->strand_, [relay] {
    relay->pump(relay->upstream_);
    relay->pump(relay->downstream_);
    // A side that hangs up while the relay does not read it (its bytes wait for the other side)
    // must still end the connection: else a client that stops reading would keep its socket and
    // the relay's pending bytes after gRPC and the session are gone.
    relay->watch_hang_up(relay->client_);
    relay->watch_hang_up(relay->daemon_);
  });
  return true;
}

GuardedRelay::GuardedRelay(boost::asio::io_context& io, Broken broken)
    : strand_(boost::asio::make_strand(io)),
      client_(strand_),
      daemon_(strand_),
      broken_(std::move(broken)) {}

void GuardedRelay::pump(Direction& direction) {
  for (int reads = 0; !closed_ && direction.pending.empty(); ++reads) {
    if (reads == kReadsPerTurn) {
      // More may be waiting: come back after the io thread's other work.
      boost::asio::post(strand_,
                        [self = shared_from_this(), &direction] { self->pump(direction); });
      return;
    }
    std::byte* buffer = chunk_buffer();
    const ssize_t got = ::recv(direction.from.native_handle(), buffer, kChunkBytes, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && would_block(errno)) {
      wait_readable(direction);
      return;
    }
    if (got <= 0) {
      close();  // that side is gone: so is the connection
      return;
    }
    const auto size = static_cast<std::size_t>(got);
    if (direction.guarded) {
      const Http2FrameGuard::Verdict verdict =
          guard_.feed({buffer, size}, Http2FrameGuard::Clock::now());
      if (verdict != Http2FrameGuard::Verdict::ok) {
        // Reported first: closing makes the hang-up monitor end the session, which may then be
        // gone before it could audit the rule.
        broken_(Http2FrameGuard::rule(verdict));
        close();
        return;
      }
    }
    if (!forward(direction, buffer, size)) {
      close();
      return;
    }
    if (size < kChunkBytes && direction.pending.empty()) {
      // The kernel had no more: wait rather than ask again (Asio re-arms the descriptor with
      // EPOLL_CTL_MOD for each wait, which reports data that arrived meanwhile).
      wait_readable(direction);
      return;
    }
  }
}

bool GuardedRelay::forward(Direction& direction, const std::byte* bytes, std::size_t size) {
  std::size_t sent = 0;
  while (sent < size) {
    const ssize_t wrote =
        ::send(direction.to.native_handle(), bytes + sent, size - sent, MSG_NOSIGNAL);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0 && would_block(errno)) break;
    if (wrote < 0) return false;
    sent += static_cast<std::size_t>(wrote);
  }
  if (sent == size) return true;
  direction.pending.assign(bytes + sent, bytes + size);
  direction.pending_at = 0;
  direction.to.async_wait(Descriptor::wait_write,
                          [self = shared_from_this(), &direction](boost::system::error_code error) {
                            if (!error) self->on_writable(direction);
                          });
  return true;
}

void GuardedRelay::on_writable(Direction& direction) {
  if (closed_) return;
  // The rest becomes the buffer to forward; emptied first so that forward() may refill it.
  std::vector<std::byte> rest = std::exchange(direction.pending, {});
  if (!forward(direction, rest.data() + direction.pending_at, rest.size() - direction.pending_at)) {
    close();
    return;
  }
  if (direction.pending.empty()) pump(direction);  // drained: read the sender again
}

void GuardedRelay::wait_readable(Direction& direction) {
  direction.from.async_wait(Descriptor::wait_read, [self = shared_from_this(),
                                                    &direction](boost::system::error_code error) {
    if (!error) self->pump(direction);
  });
}

void GuardedRelay::watch_hang_up(Descriptor& side) {
  side.async_wait(Descriptor::wait_error,
                  [self = shared_from_this()](boost::system::error_code error) {
                    if (!error) self->close();
                  });
}

void GuardedRelay::close() {
  if (closed_) return;
  closed_ = true;
  // Shut down first: gRPC's end and the client see the hang-up even while a duplicate (the
  // session's ClientConnection) keeps gRPC's socket open.
  ::shutdown(client_.native_handle(), SHUT_RDWR);
  ::shutdown(daemon_.native_handle(), SHUT_RDWR);
  boost::system::error_code ignored;
  client_.close(ignored);
  daemon_.close(ignored);
}

}  // namespace wasi_socketd::daemon
