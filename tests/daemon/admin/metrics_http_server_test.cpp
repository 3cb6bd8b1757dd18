#include "admin/metrics_http_server.h"

#include "http_get.h"

#include <gtest/gtest.h>

#include <string>

namespace wasi_socketd::daemon {
namespace {

std::string scrape(unsigned short port, const std::string& request) {
  return testing::http_exchange(port, request);
}

class MetricsHttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start("127.0.0.1:0");
    const auto address = server_.local_address();
    port_ = static_cast<unsigned short>(std::stoi(address.substr(address.rfind(':') + 1)));
  }
  MetricsHttpServer server_{[] { return std::string("x_total 1\n"); }};
  unsigned short port_ = 0;
};

TEST_F(MetricsHttpServerTest, GetMetricsAnswersWithTheExpositionText) {
  const auto reply = scrape(port_, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << reply;
  EXPECT_NE(reply.find("Content-Type: text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(reply.find("Content-Length: 10\r\n"), std::string::npos);
  EXPECT_EQ(reply.substr(reply.size() - 10), "x_total 1\n");
}

TEST_F(MetricsHttpServerTest, OtherPathsAreNotFoundAndOtherMethodsNotAllowed) {
  EXPECT_EQ(scrape(port_, "GET / HTTP/1.0\r\n\r\n").rfind("HTTP/1.1 404", 0), 0u);
  EXPECT_EQ(scrape(port_, "POST /metrics HTTP/1.0\r\n\r\n").rfind("HTTP/1.1 405", 0), 0u);
}

TEST_F(MetricsHttpServerTest, OversizedRequestIsDroppedAndServerKeepsServing) {
  EXPECT_EQ(scrape(port_, "GET /metrics HTTP/1.1\r\nX: " + std::string(20000, 'a')), "");
  EXPECT_EQ(scrape(port_, "GET /metrics HTTP/1.0\r\n\r\n").rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(MetricsHttpServerTest, KeepAliveConnectionServesRequestsInTurn) {
  const auto reply = scrape(port_,
                            "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n"
                            "HEAD /metrics HTTP/1.1\r\nHost: a\r\n\r\n"
                            "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  std::size_t answers = 0;
  for (auto at = reply.find("HTTP/1.1 200 OK\r\n"); at != std::string::npos;
       at = reply.find("HTTP/1.1 200 OK\r\n", at + 1)) {
    ++answers;
  }
  EXPECT_EQ(answers, 3u) << reply;
  // The HEAD answer has the GET's length but no body: two bodies in all.
  EXPECT_EQ(reply.find("x_total 1\n", reply.find("x_total 1\n") + 1) + 10, reply.size()) << reply;
  EXPECT_NE(reply.find("Connection: close\r\n"), std::string::npos);
}

TEST_F(MetricsHttpServerTest, HttpOneZeroWithoutKeepAliveGetsOneAnswerThenClose) {
  const auto reply = scrape(port_, "GET /metrics HTTP/1.0\r\n\r\nGET /metrics HTTP/1.0\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << reply;
  EXPECT_EQ(reply.find("HTTP/1.1", 1), std::string::npos) << reply;
  EXPECT_NE(reply.find("Connection: close\r\n"), std::string::npos);
}

TEST_F(MetricsHttpServerTest, MalformedRequestsGetBadRequestAndServerKeepsServing) {
  EXPECT_EQ(scrape(port_, "GET /metrics HTTP/9\r\n\r\n").rfind("HTTP/1.1 400 Bad Request", 0), 0u);
  EXPECT_EQ(scrape(port_, "G(T /metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
  EXPECT_EQ(
      scrape(port_, "GET /metrics HTTP/1.1\r\nNo colon here\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
  EXPECT_EQ(
      scrape(port_, "GET /metrics HTTP/1.1\r\nContent-Length: x\r\n\r\n").rfind("HTTP/1.1 400", 0),
      0u);
  EXPECT_EQ(scrape(port_, "GET /metrics HTTP/1.0\r\n\r\n").rfind("HTTP/1.1 200", 0), 0u);
}

TEST(MetricsHttpAddressTest, OnlyLoopbackAddressesAreAccepted) {
  EXPECT_EQ(parse_loopback_endpoint("127.0.0.1:9464").port(), 9464);
  EXPECT_TRUE(parse_loopback_endpoint("[::1]:9464").address().is_v6());
  EXPECT_THROW(parse_loopback_endpoint("0.0.0.0:9464"), std::invalid_argument);
  EXPECT_THROW(parse_loopback_endpoint("192.0.2.1:9464"), std::invalid_argument);
  EXPECT_THROW(parse_loopback_endpoint("localhost:9464"), std::invalid_argument);
  EXPECT_THROW(parse_loopback_endpoint("127.0.0.1:70000"), std::invalid_argument);
  EXPECT_THROW(parse_loopback_endpoint("127.0.0.1:"), std::invalid_argument);
  EXPECT_THROW(parse_loopback_endpoint("127.0.0.1:9x"), std::invalid_argument);
}

}  // namespace
}  // namespace wasi_socketd::daemon
