#include "admin/metrics_http_server.h"

#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <stdexcept>

#include "admin/prometheus_text.h"

namespace wasi_socketd::daemon {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr std::size_t kMaxRequestBytes = 8192;
constexpr auto kRequestTimeout = std::chrono::seconds(5);

std::string response(const std::string& status, const char* content_type, const std::string& body) {
  return "HTTP/1.1 " + status + "\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         body;
}

// One scrape: read the request head, answer, close. Keeps itself alive through its handlers.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(tcp::socket socket, const std::function<std::string()>& render)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        request_(kMaxRequestBytes),
        render_(render) {}

  void run() {
    timer_.expires_after(kRequestTimeout);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (!error) self->socket_.close();
    });
    asio::async_read_until(socket_, request_, "\r\n\r\n",
                           [self = shared_from_this()](const boost::system::error_code& error,
                                                       std::size_t) { self->answer(error); });
  }

 private:
  void answer(const boost::system::error_code& error) {
    if (error) return finish();  // too large, timed out or closed: drop without an answer
    std::istream head(&request_);
    std::string method, target;
    head >> method >> target;
    if (method != "GET" && method != "HEAD") {
      reply_ = response("405 Method Not Allowed", "text/plain", "GET only\n");
    } else if (target != "/metrics") {
      reply_ = response("404 Not Found", "text/plain", "try /metrics\n");
    } else {
      reply_ = response("200 OK", prometheus::kContentType, render_());
      if (method == "HEAD") reply_.resize(reply_.find("\r\n\r\n") + 4);
    }
    asio::async_write(socket_, asio::buffer(reply_),
                      [self = shared_from_this()](const boost::system::error_code&, std::size_t) {
                        self->finish();
                      });
  }

  void finish() {
    timer_.cancel();
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  asio::streambuf request_;
  std::string reply_;
  const std::function<std::string()>& render_;
};

}  // namespace

tcp::endpoint parse_loopback_endpoint(const std::string& address) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) {
    throw std::invalid_argument("metrics address must be HOST:PORT: " + address);
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code error;
  const auto ip = asio::ip::make_address(host, error);
  if (error) throw std::invalid_argument("metrics host is not an IP address: " + host);
  if (!ip.is_loopback()) throw std::invalid_argument("metrics address must be loopback: " + host);
  std::size_t used = 0;
  unsigned long port = 0;
  try {
    port = std::stoul(address.substr(colon + 1), &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != address.size() - colon - 1 || port > 65535) {
    throw std::invalid_argument("metrics port must be 0..65535: " + address);
  }
  return {ip, static_cast<unsigned short>(port)};
}

MetricsHttpServer::MetricsHttpServer(std::function<std::string()> render)
    : render_(std::move(render)) {}

MetricsHttpServer::~MetricsHttpServer() { stop(); }

void MetricsHttpServer::start(const std::string& address) {
  const auto endpoint = parse_loopback_endpoint(address);
  acceptor_ = std::make_unique<tcp::acceptor>(io_, endpoint, /*reuse_address=*/true);
  accept_next();
  thread_ = std::thread([this] { io_.run(); });
}

void MetricsHttpServer::stop() {
  if (!thread_.joinable()) return;
  io_.stop();
  thread_.join();
  acceptor_.reset();
}

std::string MetricsHttpServer::local_address() const {
  const auto endpoint = acceptor_->local_endpoint();
  const auto host = endpoint.address().to_string();
  return (endpoint.address().is_v6() ? "[" + host + "]" : host) + ":" +
         std::to_string(endpoint.port());
}

void MetricsHttpServer::accept_next() {
  acceptor_->async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
    if (!error) std::make_shared<Exchange>(std::move(socket), render_)->run();
    if (acceptor_->is_open()) accept_next();
  });
}

}  // namespace wasi_socketd::daemon
