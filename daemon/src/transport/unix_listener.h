// The daemon's listening Unix socket and its accept loop. Connections are accepted here, not by
// gRPC, so that the kernel's peer credentials can be read before anything else happens.
//
// Threading: start() and stop() on the io_context (any of its threads, not concurrently);
// `on_accept` runs on the io_context and receives ownership of the connected fd.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <optional>
#include <string>

#include "session/peer_credentials.h"

namespace wasi_socketd::daemon {

class UnixListener {
 public:
  using Acceptor = boost::asio::local::stream_protocol::acceptor;
  // Called for every accepted connection; the callee owns `fd` (close-on-exec, non-blocking).
  using OnAccept = std::function<void(int fd, const PeerCredentials& peer)>;

  // Creates the parent directory if needed, replaces a stale socket file, binds, sets `mode`
  // (and `owner`/`group` when given) on the socket file and listens. Throws std::system_error
  // with the failing step.
  static Acceptor open(boost::asio::io_context& io, const std::string& path, mode_t mode,
                       std::optional<uid_t> owner = std::nullopt,
                       std::optional<gid_t> group = std::nullopt);

  // Wraps an already listening socket (socket activation); takes ownership of `fd`.
  static Acceptor adopt(boost::asio::io_context& io, int fd);

  // `path` is removed again by the destructor when non-empty (not for adopted sockets).
  UnixListener(Acceptor acceptor, std::string path, OnAccept on_accept);
  ~UnixListener();
  UnixListener(const UnixListener&) = delete;
  UnixListener& operator=(const UnixListener&) = delete;

  void start();
  // Stops accepting and closes the listening socket.
  void stop();

 private:
  void accept_next();

  Acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  std::string path_;
  OnAccept on_accept_;
};

}  // namespace wasi_socketd::daemon
