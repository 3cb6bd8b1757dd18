// The demo's example guests end to end: the HTTP client guest fetches from the HTTP server guest,
// both through the broker (and, as the baseline, both on preview2-shim's sockets).
#include <gtest/gtest.h>

#include "runner_test_support.h"

namespace wasi_socketd::adapter::test {
namespace {

constexpr auto kStartTimeout = 30s;

ProcessResult fetch_from_server_guest(const std::vector<std::string>& host_options) {
  std::vector<std::string> server_args = host_options;
  server_args.insert(server_args.end(), {guest_path("http_server"), "0", "3"});
  ChildProcess server(runner_command(server_args));
  EXPECT_TRUE(server.wait_for_stdout("listening on", kStartTimeout)) << server.stdout_so_far();
  const uint16_t port = listening_port(server.stdout_so_far());

  std::vector<std::string> client_args = host_options;
  client_args.insert(client_args.end(),
                     {guest_path("http_client"), "localhost", std::to_string(port), "/test", "3"});
  ChildProcess client(runner_command(client_args));
  ProcessResult result = client.wait(kRunTimeout);
  const ProcessResult server_result = server.wait(kRunTimeout);
  EXPECT_EQ(server_result.exit_code, 0) << server_result.err;
  EXPECT_NE(server_result.out.find("served 3 requests"), std::string::npos) << server_result.out;
  return result;
}

TEST(HttpExamples, ClientGuestFetchesFromServerGuestThroughTheBroker) {
  testing::TempDirectory dir;
  const std::string socket = dir.file("broker.sock");
  DaemonProcess daemon(DaemonOptions{.socket_path = socket});
  const ProcessResult result = fetch_from_server_guest({"--broker", socket});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("HTTP/1.1 200 OK"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("request #1: GET /test"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("3 of 3 requests answered 200 OK"), std::string::npos) << result.out;
}

TEST(HttpExamples, ClientGuestFetchesFromServerGuestOnPreview2Shim) {
  const ProcessResult result = fetch_from_server_guest({"--no-broker"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("3 of 3 requests answered 200 OK"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace wasi_socketd::adapter::test
