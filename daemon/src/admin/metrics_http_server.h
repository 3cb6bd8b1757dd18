// Optional HTTP listener for Prometheus scrapers: GET /metrics on a loopback address only.
//
// HTTP/1.1 on Boost.Beast: keep-alive connections serve requests in turn; a malformed request gets
// "400 Bad Request" and the connection closes; request heads larger than 8 KiB, or not complete
// within 5 s, are dropped without an answer. Runs on its own thread and io_context, so a slow
// scraper never touches the broker's event loop. start()/stop() from one thread; the destructor
// stops.
//
// Any local user can connect to a loopback port, and every connection is a daemon fd outside the
// tenants' shares: at most kMaxConnections are open at once, later ones are closed at accept (a
// scraper needs one or two). Before, 300 idle connections of a uid no tenant matches used up a
// daemon limited to 256 fds, so tenants could not even connect, and the accept loop then retried
// at once, spinning. A failed accept is now retried after 100 ms.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace wasi_socketd::daemon {

class MetricsHttpServer {
 public:
  static constexpr std::size_t kMaxConnections = 16;

  // `render` produces the exposition text; it is called on the server's thread.
  explicit MetricsHttpServer(std::function<std::string()> render);
  ~MetricsHttpServer();
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // `address` is "HOST:PORT" with a loopback host ("127.0.0.1:9464", "[::1]:9464"); port 0 picks
  // a free one. Throws std::invalid_argument for a non-loopback or malformed address.
  void start(const std::string& address);
  void stop();

  // The bound endpoint ("127.0.0.1:41234"), after start().
  std::string local_address() const;

 private:
  void accept_next();

  std::function<std::string()> render_;
  std::size_t open_connections_ = 0;  // before io_: connections still queued in it count down here
  boost::asio::io_context io_;
  boost::asio::steady_timer retry_timer_{io_};
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::thread thread_;
};

// Parses "HOST:PORT" / "[V6]:PORT" into an endpoint; throws std::invalid_argument unless the
// host is a loopback address.
boost::asio::ip::tcp::endpoint parse_loopback_endpoint(const std::string& address);

}  // namespace wasi_socketd::daemon
