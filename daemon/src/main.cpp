// wasi-socketd: the broker daemon serving WASI 0.2 wasi:sockets over gRPC on a Unix socket.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "daemon_server.h"
#include "policy/policy_loader.h"
#include "policy/policy_summary.h"
#include "policy/tenancy.h"
#include "session/policy_tenants.h"
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

// --check-policy: validates FILE as the daemon would load it; 0 when it would be accepted.
int check_policy(const std::string& path) {
  const wasi_socketd::policy::LoadResult loaded = wasi_socketd::policy::load_policy_file(path);
  if (!loaded.ok()) {
    std::cerr << loaded.error->to_string() << "\n";
    return EXIT_FAILURE;
  }
  std::cout << path << ": ok: " << wasi_socketd::policy::summarize(*loaded.policy) << "\n";
  return EXIT_SUCCESS;
}

// SIGHUP: re-read the policy file; a bad one is reported and the old policy stays.
void reload_policy(wasi_socketd::policy::Tenancy& tenancy) {
  if (auto error = tenancy.reload()) {
    spdlog::error("policy reload rejected, keeping the old policy: {}", error->to_string());
    return;
  }
  spdlog::info("policy reloaded: {}", wasi_socketd::policy::summarize(*tenancy.policy()));
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
  app.add_option("--io-threads", options.io_threads, "Threads serving sessions")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  std::string policy_path;
  std::string check_policy_path;
  app.add_option("--policy", policy_path,
                 "Tenancy policy file (TOML, docs/policy.md); default: loopback only for the "
                 "daemon's own uid")
      ->check(CLI::ExistingFile);
  app.add_option("--check-policy", check_policy_path,
                 "Validate a policy file and exit (0: valid; errors as FILE:LINE:COLUMN)");
  app.set_version_flag("--version", std::string("wasi-socketd ") + WASI_SOCKETD_VERSION);
  CLI11_PARSE(app, argc, argv);
  if (!check_policy_path.empty()) {
    return check_policy(check_policy_path);
  }

  spdlog::set_default_logger(spdlog::stderr_color_mt("wasi-socketd"));
  spdlog::set_level(spdlog::level::from_str(log_level));
  try {
    options.socket_mode = parse_mode(socket_mode);
    auto created = wasi_socketd::policy::Tenancy::create(policy_path, ::geteuid());
    if (!created.tenancy) {
      spdlog::critical("policy rejected: {}", created.error->to_string());
      return EXIT_FAILURE;
    }
    const std::shared_ptr<wasi_socketd::policy::Tenancy> tenancy = created.tenancy;
    spdlog::info("policy {}: {}", tenancy->policy()->source,
                 wasi_socketd::policy::summarize(*tenancy->policy()));
    options.tenant_listeners = tenancy->policy()->listeners;
    wasi_socketd::daemon::DaemonServer server(
        options, wasi_socketd::daemon::policy_tenant_resolver(tenancy));
    server.on_sighup([tenancy] { reload_policy(*tenancy); });
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
