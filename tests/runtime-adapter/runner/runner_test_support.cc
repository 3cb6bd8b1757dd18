#include "runner_test_support.h"

#include "fake_service_manager.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <stdexcept>

namespace wasi_socketd::adapter::test {

std::vector<std::string> runner_command(const std::vector<std::string>& args) {
  std::vector<std::string> command = {WASI_SOCKET_RUN_PATH, "--cache-dir", RUNNER_TEST_CACHE_DIR};
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

std::string guest_path(std::string_view name) {
  return std::string(GUEST_DIR) + "/" + std::string(name) + ".wasm";
}

std::string daemon_path() { return WASI_SOCKETD_PATH; }

std::unique_ptr<ChildProcess> start_daemon(const std::string& socket_path,
                                           const std::vector<std::string>& extra_args) {
  // READY=1, not the socket file: the file exists (and takes connections into its backlog) before
  // the admin socket and gRPC's pollers do, so an fd baseline taken then would be short.
  testing::FakeServiceManager service_manager;
  ChildProcess::Options options;
  options.extra_env = {"NOTIFY_SOCKET=" + service_manager.socket_path()};
  std::vector<std::string> argv{daemon_path(), "--listen", socket_path, "--log-level", "warn"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  auto daemon = std::make_unique<ChildProcess>(argv, options);
  if (!service_manager.wait_for("READY=1", 30s)) {
    throw std::runtime_error("wasi-socketd did not report READY=1 on " + socket_path);
  }
  return daemon;
}

uint16_t listening_port(const std::string& output) {
  static const std::regex line(R"(listening on 127\.0\.0\.1:(\d+))");
  std::smatch match;
  return std::regex_search(output, match, line) ? static_cast<uint16_t>(std::stoi(match[1]))
                                                : uint16_t{0};
}

std::string http_get(uint16_t port, std::string_view path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
    const std::string request =
        "GET " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, n);
    }
  }
  ::close(fd);
  return response;
}

}  // namespace wasi_socketd::adapter::test
