// wasi-socketd: the broker daemon serving WASI 0.2 wasi:sockets over gRPC on a Unix socket.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <string>

#include "daemon_server.h"
#include "session/default_tenant.h"
#include "systemd/journal_log.h"
#include "systemd/listen_fds.h"
#include "wasi_socketd/default_socket_path.h"

namespace {

using wasi_socketd::daemon::DaemonOptions;

// "0660" -> 0660; throws CLI::ValidationError for anything that is not an octal mode.
mode_t parse_mode(const std::string& text) {
  std::size_t used = 0;
  unsigned long mode = 0;
  try {
    mode = std::stoul(text, &used, 8);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || mode > 07777) {
    throw CLI::ValidationError("--socket-mode", "expected an octal mode such as 0660");
  }
  return static_cast<mode_t>(mode);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wasi-socketd: WASI 0.2 wasi:sockets broker over gRPC on a Unix socket"};
  DaemonOptions options;
  options.listen_path = wasi_socketd::default_socket_path();
  std::string log_level = "info";
  std::string socket_mode = "0660";
  app.add_option("--listen", options.listen_path, "Unix socket path to listen on")
      ->capture_default_str();
  app.add_option("--socket-mode", socket_mode, "Permissions of the socket file (octal)")
      ->capture_default_str();
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  app.add_option("--admin-socket", options.admin_socket_path,
                 "Root-only admin socket for wasi-socketctl (default: the broker socket's path "
                 "with .sock replaced by .admin.sock)");
  app.add_option("--metrics-http", options.metrics_http,
                 "Serve Prometheus metrics at http://ADDRESS/metrics (loopback only, e.g. "
                 "127.0.0.1:9464)");
  app.add_option("--io-threads", options.io_threads, "Threads serving sessions")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.set_version_flag("--version", std::string("wasi-socketd ") + WASI_SOCKETD_VERSION);
  CLI11_PARSE(app, argc, argv);

  spdlog::set_default_logger(spdlog::stderr_color_mt("wasi-socketd"));
  spdlog::set_level(spdlog::level::from_str(log_level));
  wasi_socketd::systemd::use_stderr_format(*spdlog::default_logger(),
                                           wasi_socketd::systemd::stderr_is_journal());
  // Socket activation: systemd's "broker" socket replaces --listen. Unused passed fds are closed.
  auto inherited = wasi_socketd::systemd::InheritedSockets::from_environment();
  if (auto broker = inherited.take_unix_listener("broker")) {
    options.inherited_listener = *broker;
  } else if (!inherited.empty()) {
    spdlog::warn("socket activation passed no listening Unix socket named broker: using --listen");
  }
  try {
    options.socket_mode = parse_mode(socket_mode);
    wasi_socketd::daemon::DaemonServer server(options,
                                              wasi_socketd::daemon::default_tenant_resolver());
    server.run_until_stopped();
  } catch (const CLI::ValidationError& error) {
    return app.exit(error);
  } catch (const std::exception& error) {
    spdlog::critical("{}", error.what());
    return EXIT_FAILURE;
  }
  spdlog::info("stopped");
  return EXIT_SUCCESS;
}
