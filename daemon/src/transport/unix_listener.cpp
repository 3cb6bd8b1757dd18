#include "unix_listener.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <cerrno>
#include <future>
#include <memory>

#include "peer_credentials.h"

namespace wasi_socketd::daemon {

UnixListener::Bound UnixListener::open(boost::asio::io_context& io, const std::string& path,
                                       mode_t mode, std::optional<uid_t> owner,
                                       std::optional<gid_t> group) {
  ListeningSocket socket = listen_unix(path, mode, owner, group);
  return {Acceptor(io, boost::asio::local::stream_protocol(), socket.fd), std::move(socket.file)};
}

UnixListener::Bound UnixListener::adopt(boost::asio::io_context& io, int fd) {
  return {Acceptor(io, boost::asio::local::stream_protocol(), fd), {}};
}

namespace {

// The socket file a ban applies to: ours, or the one an inherited socket is bound to.
SocketFileBan ban_for(UnixListener::Acceptor& acceptor, const SocketFile& file) {
  if (!file.path.empty()) return SocketFileBan(file.path, file.device, file.inode);
  boost::system::error_code error;
  const std::string path = acceptor.local_endpoint(error).path();
  struct stat status {};
  if (error || path.empty() || ::lstat(path.c_str(), &status) != 0) return {"", 0, 0};
  return SocketFileBan(path, status.st_dev, status.st_ino);
}

}  // namespace

UnixListener::UnixListener(Bound bound, OnAccept on_accept, OnShed on_shed)
    : acceptor_(std::move(bound.acceptor)),
      strand_(boost::asio::make_strand(acceptor_.get_executor())),
      retry_timer_(strand_),
      file_(std::move(bound.file)),
      ban_(ban_for(acceptor_, file_)),
      on_accept_(std::move(on_accept)),
      on_shed_(std::move(on_shed)) {}

UnixListener::~UnixListener() {
  stop();
  file_.remove_if_ours();
}

void UnixListener::start() { accept_next(); }

void UnixListener::stop_on_strand() {
  std::promise<void> stopped;
  boost::asio::dispatch(strand_, [this, &stopped] {
    stop();
    stopped.set_value();
  });
  stopped.get_future().wait();
}

void UnixListener::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
  std::lock_guard lock(ban_mutex_);
  for (boost::asio::steady_timer& timer : ban_timers_) timer.cancel();
  ban_.lift_all();  // an inherited socket file outlives the daemon
}

void UnixListener::hand_over(int fd) {
  std::optional<PeerCredentials> peer = read_peer_credentials(fd);
  if (!peer) {
    spdlog::warn("connection without peer credentials refused");
    ::close(fd);
    return;
  }
  if (!within_connect_rate(peer->uid)) {
    ::close(fd);
    if (on_shed_) on_shed_(peer->uid);
    ban(peer->uid, "connects faster than " + std::to_string(kConnectRatePerUid) + "/s");
    return;
  }
  if (on_accept_(fd, *peer) == AcceptVerdict::flooding) {
    ban(peer->uid, "is refused faster than its refusal budget");
  }
}

bool UnixListener::within_connect_rate(uid_t uid) {
  std::lock_guard lock(rate_mutex_);
  auto found = connect_rates_.find(uid);
  if (found == connect_rates_.end()) {
    if (connect_rates_.size() >= kMaxRatedUids) connect_rates_.clear();  // forget, not grow
    found = connect_rates_
                .emplace(uid, std::make_unique<policy::TokenBucket>(kConnectRatePerUid,
                                                                    kConnectBurstPerUid))
                .first;
  }
  return found->second->try_take();
}

void UnixListener::ban(uid_t uid, const std::string& reason) {
  if (ban_.banned(uid)) return;  // connections accepted before the ban took effect
  std::string why;
  if (!ban_.ban(uid, why)) {
    // Said once per uid and ban period, not once per connection of the flood.
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(ban_mutex_);
    if (unbannable_.size() >= kMaxRatedUids) unbannable_.clear();
    auto [said, first] = unbannable_.try_emplace(uid, now);
    if (first || now - said->second >= kBanDuration) {
      said->second = now;
      spdlog::warn("uid {} {} but cannot be kept away: {}", uid, reason, why);
    }
    return;
  }
  spdlog::warn("uid {} {}: it may not connect for {} s", uid, reason, kBanDuration.count());
  std::lock_guard lock(ban_mutex_);
  auto& timer = ban_timers_.emplace_back(acceptor_.get_executor(), kBanDuration);
  timer.async_wait([this, uid](boost::system::error_code error) {
    if (error) return;  // stop() lifts every ban
    ban_.lift(uid);
    spdlog::info("uid {} may connect again", uid);
    std::lock_guard lock(ban_mutex_);
    std::erase_if(ban_timers_, [](const boost::asio::steady_timer& timer) {
      return timer.expiry() <= std::chrono::steady_clock::now();
    });
  });
}

// Waits for a connection, then takes every queued one with plain accept4 calls (up to
// kAcceptBatch) before waiting again: a peer flooding connects must not fill the kernel's backlog
// faster than the daemon empties it, or everyone else's connects fail (EAGAIN).
void UnixListener::accept_next() {
  acceptor_.async_wait(boost::asio::local::stream_protocol::acceptor::wait_read,
                       boost::asio::bind_executor(strand_, [this](boost::system::error_code error) {
                         if (error == boost::asio::error::operation_aborted || !acceptor_.is_open())
                           return;
                         for (int taken = 0; !error && taken < kAcceptBatch; ++taken) {
                           const int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr,
                                                    SOCK_CLOEXEC | SOCK_NONBLOCK);
                           if (fd >= 0) {
                             hand_over(fd);
                             continue;
                           }
                           if (errno == EAGAIN || errno == EWOULDBLOCK) break;
                           if (errno == EINTR || errno == ECONNABORTED) continue;
                           error =
                               boost::system::error_code(errno, boost::system::system_category());
                         }
                         if (error) {
                           // EMFILE and friends: the connection stays queued in the kernel; retry a
                           // little later instead of spinning.
                           spdlog::warn("accept failed: {}", error.message());
                           retry_timer_.expires_after(std::chrono::milliseconds(100));
                           retry_timer_.async_wait([this](boost::system::error_code wait_error) {
                             if (!wait_error && acceptor_.is_open()) accept_next();
                           });
                           return;
                         }
                         accept_next();
                       }));
}

}  // namespace wasi_socketd::daemon
