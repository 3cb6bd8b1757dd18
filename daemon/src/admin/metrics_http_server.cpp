#include "admin/metrics_http_server.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>

#include "admin/prometheus_text.h"

namespace wasi_socketd::daemon {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

constexpr std::uint32_t kMaxRequestBytes = 8192;
constexpr auto kRequestTimeout = std::chrono::seconds(5);
// After a failed accept (out of fds): the pending connection stays, so retrying at once would spin.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

using Request = http::request<http::empty_body>;
using Response = http::response<http::string_body>;

// Always HTTP/1.1 on the status line; Connection: close unless the client keeps the connection.
Response make_response(http::status status, bool keep_alive, const char* content_type,
                       std::string body) {
  Response response{status, 11};
  response.set(http::field::content_type, content_type);
  response.keep_alive(keep_alive);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response answer(const Request& request, const std::function<std::string()>& render) {
  const bool keep_alive = request.keep_alive();
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    return make_response(http::status::method_not_allowed, keep_alive, "text/plain", "GET only\n");
  }
  if (request.target() != "/metrics") {
    return make_response(http::status::not_found, keep_alive, "text/plain", "try /metrics\n");
  }
  auto response = make_response(http::status::ok, keep_alive, prometheus::kContentType, render());
  if (request.method() == http::verb::head) {
    response.body().clear();  // Content-Length stays that of the GET answer
  }
  return response;
}

// One scraper connection: requests in turn while the client keeps the connection alive, each with
// its own deadline and size limit. Keeps itself alive through its handlers.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `open` counts this connection while it lives (on the server's thread only).
  Connection(tcp::socket socket, const std::function<std::string()>& render, std::size_t& open)
      : stream_(std::move(socket)), render_(render), open_(open) {
    ++open_;
  }
  ~Connection() { --open_; }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void read_request() {
    parser_.emplace();
    parser_->header_limit(kMaxRequestBytes);
    parser_->body_limit(0);  // a scrape has no body
    stream_.expires_after(kRequestTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code error, std::size_t) {
                       self->on_request(error);
                     });
  }

 private:
  void on_request(beast::error_code error) {
    if (!error) return send(answer(parser_->get(), render_));
    if (is_malformed(error)) {
      return send(make_response(http::status::bad_request, false, "text/plain", "bad request\n"));
    }
    close();  // closed, timed out or over the header limit: drop without an answer
  }

  // The parser rejected the bytes (bad method, target, version, field, framing, or a body where
  // none belongs), as opposed to the peer closing or the request growing too large.
  static bool is_malformed(beast::error_code error) {
    return error.category() == http::make_error_code(http::error::bad_method).category() &&
           error != http::error::end_of_stream && error != http::error::partial_message &&
           error != http::error::header_limit;
  }

  void send(Response response) {
    response_ = std::move(response);
    stream_.expires_after(kRequestTimeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                        if (error || !self->response_.keep_alive()) return self->close();
                        self->read_request();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{kMaxRequestBytes};
  std::optional<http::request_parser<http::empty_body>> parser_;
  Response response_;
  const std::function<std::string()>& render_;
  std::size_t& open_;
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
    if (!error && open_connections_ < kMaxConnections) {
      std::make_shared<Connection>(std::move(socket), render_, open_connections_)->read_request();
    }
    // Past kMaxConnections `socket` closes here, unanswered.
    if (!acceptor_->is_open()) return;
    if (!error) return accept_next();
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([this](const boost::system::error_code& cancelled) {
      if (!cancelled && acceptor_->is_open()) accept_next();
    });
  });
}

}  // namespace wasi_socketd::daemon
