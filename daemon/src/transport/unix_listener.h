// The daemon's listening Unix socket and its accept loop. Connections are accepted here, not by
// gRPC, so that the kernel's peer credentials can be read before anything else happens.
//
// Threading: the accept loop runs on the listener's own strand, so that stopping cannot close the
// listening socket under an accept batch (the fd could be reused mid-batch): start() on the
// io_context, stop_on_strand() from outside the io threads while they run, stop() only when no io
// thread runs (the destructor). `on_accept` runs on the strand and receives ownership of the
// connected fd.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "policy/token_bucket.h"
#include "session/peer_credentials.h"
#include "socket_file_ban.h"
#include "unix_socket_file.h"

namespace wasi_socketd::daemon {

// What became of an accepted connection. `flooding`: its uid is refused faster than its budget
// allows; the listener keeps that uid away from its socket file for a while.
enum class AcceptVerdict { kept, flooding };

class UnixListener {
 public:
  using Acceptor = boost::asio::local::stream_protocol::acceptor;
  // Called for every accepted connection; the callee owns `fd` (close-on-exec, non-blocking).
  using OnAccept = std::function<AcceptVerdict(int fd, const PeerCredentials& peer)>;
  // How long a flooding uid may not connect (socket_file_ban.h); then it may again, and is
  // banned again at its next flood.
  static constexpr std::chrono::seconds kBanDuration{10};
  // New connections one uid may make per second on one listener (bursts of kConnectBurstPerUid),
  // admitted or not. Past it the connection is closed at once, before any policy work, and the
  // uid is banned: a tenant that floods connects fills the backlog like an unknown uid does.
  static constexpr std::uint64_t kConnectRatePerUid = 500;
  static constexpr std::uint64_t kConnectBurstPerUid = 1000;
  static constexpr std::size_t kMaxRatedUids = 4096;

  // A listening socket and the socket file it owns (empty for an adopted socket).
  struct Bound {
    Acceptor acceptor;
    SocketFile file;
  };

  // listen_unix (unix_socket_file.h): parent directory created, stale socket file replaced, a
  // live one refused (a second daemon never steals a path), `mode` (and `owner`/`group` when
  // given) on the socket file. Throws std::system_error with the failing step.
  static Bound open(boost::asio::io_context& io, const std::string& path, mode_t mode,
                    std::optional<uid_t> owner = std::nullopt,
                    std::optional<gid_t> group = std::nullopt);

  // Wraps an already listening socket (socket activation); takes ownership of `fd`. Its path is
  // systemd's: the listener never removes it.
  static Bound adopt(boost::asio::io_context& io, int fd);

  // Called for each connection closed past its uid's connect rate (never handed over).
  using OnShed = std::function<void(uid_t uid)>;

  // The destructor removes the socket file if the path still names it (not another daemon's).
  UnixListener(Bound bound, OnAccept on_accept, OnShed on_shed = {});
  ~UnixListener();
  UnixListener(const UnixListener&) = delete;
  UnixListener& operator=(const UnixListener&) = delete;

  void start();
  // Stops accepting and closes the listening socket on the listener's strand, and waits for it.
  // Not from an io thread (it would wait for itself).
  void stop_on_strand();
  // The same, here and now: only when no io thread runs.
  void stop();

 private:
  static constexpr int kAcceptBatch = 256;

  void accept_next();
  void hand_over(int fd);                          // owns fd
  void ban(uid_t uid, const std::string& reason);  // reason: why, for the log
  bool within_connect_rate(uid_t uid);

  Acceptor acceptor_;
  boost::asio::strand<Acceptor::executor_type> strand_;  // the accept loop and its retry timer
  boost::asio::steady_timer retry_timer_;
  SocketFile file_;
  SocketFileBan ban_;
  std::mutex ban_mutex_;                             // guards ban_timers_ and unbannable_
  std::list<boost::asio::steady_timer> ban_timers_;  // one per ban in force, lifts it
  // Uids a ban failed for, with when that was last logged.
  std::map<uid_t, std::chrono::steady_clock::time_point> unbannable_;
  OnAccept on_accept_;
  OnShed on_shed_;
  std::mutex rate_mutex_;  // guards connect_rates_
  std::map<uid_t, std::unique_ptr<policy::TokenBucket>> connect_rates_;
};

}  // namespace wasi_socketd::daemon
