#include "unix_listener.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "peer_credentials.h"

namespace wasi_socketd::daemon {

namespace {

namespace fs = std::filesystem;
using stream_protocol = boost::asio::local::stream_protocol;

[[noreturn]] void fail(const std::string& step, std::error_code error) {
  throw std::system_error(error, step);
}

// A socket file left behind by a daemon that died; anything else at the path is not ours.
void remove_stale_socket(const fs::path& path) {
  std::error_code error;
  fs::file_status status = fs::symlink_status(path, error);
  if (!error && fs::is_socket(status)) {
    fs::remove(path, error);
  }
}

}  // namespace

UnixListener::Acceptor UnixListener::open(boost::asio::io_context& io, const std::string& path,
                                          mode_t mode, std::optional<uid_t> owner,
                                          std::optional<gid_t> group) {
  const fs::path socket_path(path);
  std::error_code error;
  if (socket_path.has_parent_path()) {
    fs::create_directories(socket_path.parent_path(), error);
    if (error) {
      fail("creating " + socket_path.parent_path().string(), error);
    }
  }
  remove_stale_socket(socket_path);

  Acceptor acceptor(io);
  boost::system::error_code asio_error;
  acceptor.open(stream_protocol(), asio_error);
  if (!asio_error) {
    acceptor.bind(stream_protocol::endpoint(path), asio_error);
  }
  if (asio_error) {
    fail("binding " + path, asio_error);
  }
  if (::chmod(path.c_str(), mode) != 0) {
    fail("chmod " + path, std::error_code(errno, std::generic_category()));
  }
  if ((owner || group) && ::chown(path.c_str(), owner.value_or(static_cast<uid_t>(-1)),
                                  group.value_or(static_cast<gid_t>(-1))) != 0) {
    fail("chown " + path, std::error_code(errno, std::generic_category()));
  }
  acceptor.listen(boost::asio::socket_base::max_listen_connections, asio_error);
  if (asio_error) {
    fail("listening on " + path, asio_error);
  }
  return acceptor;
}

UnixListener::Acceptor UnixListener::adopt(boost::asio::io_context& io, int fd) {
  return Acceptor(io, stream_protocol(), fd);
}

UnixListener::UnixListener(Acceptor acceptor, std::string path, OnAccept on_accept)
    : acceptor_(std::move(acceptor)),
      retry_timer_(acceptor_.get_executor()),
      path_(std::move(path)),
      on_accept_(std::move(on_accept)) {}

UnixListener::~UnixListener() {
  stop();
  if (!path_.empty()) {
    std::error_code error;
    fs::remove(path_, error);
  }
}

void UnixListener::start() { accept_next(); }

void UnixListener::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
}

void UnixListener::accept_next() {
  acceptor_.async_accept([this](boost::system::error_code error, stream_protocol::socket socket) {
    if (error == boost::asio::error::operation_aborted || !acceptor_.is_open()) {
      return;
    }
    if (error) {
      // EMFILE and friends: the connection stays queued in the kernel; retry a little later
      // instead of spinning.
      spdlog::warn("accept failed: {}", error.message());
      retry_timer_.expires_after(std::chrono::milliseconds(100));
      retry_timer_.async_wait([this](boost::system::error_code wait_error) {
        if (!wait_error && acceptor_.is_open()) {
          accept_next();
        }
      });
      return;
    }
    {
      std::optional<PeerCredentials> peer = read_peer_credentials(socket.native_handle());
      if (!peer) {
        spdlog::warn("connection without peer credentials refused");
      } else {
        int fd = socket.release();
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        on_accept_(fd, *peer);
      }
    }
    accept_next();
  });
}

}  // namespace wasi_socketd::daemon
