// wasi-socketd: the broker daemon serving WASI 0.2 wasi:sockets over gRPC on a Unix socket.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "daemon_server.h"
#include "fd_limit.h"
#include "pid_file.h"
#include "policy/accounts.h"
#include "policy/policy_loader.h"
#include "policy/policy_summary.h"
#include "policy/tenancy.h"
#include "session/policy_tenants.h"
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

// --socket-owner / --socket-group: a name or a number; throws CLI::ValidationError if unknown.
template <typename Id>
std::optional<Id> parse_account(const std::string& text, const std::string& flag,
                                std::optional<Id> (*parse)(const std::string&)) {
  if (text.empty()) return std::nullopt;
  auto id = parse(text);
  if (!id) throw CLI::ValidationError(flag, "no such " + flag.substr(9) + " '" + text + "'");
  return id;
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

// SIGHUP / `wasi-socketctl policy reload`: re-read the policy file; a bad one is reported and
// the old policy stays. Returns the rejection.
std::optional<std::string> reload_policy(wasi_socketd::policy::Tenancy& tenancy) {
  if (auto error = tenancy.reload()) {
    spdlog::error("policy reload rejected, keeping the old policy: {}", error->to_string());
    return error->to_string();
  }
  spdlog::info("policy reloaded: {}", wasi_socketd::policy::summarize(*tenancy.policy()));
  return std::nullopt;
}

// What `wasi-socketctl status` shows of the policy in force.
wasi_socketd::admin::v1::PolicyInfo describe_policy(const wasi_socketd::policy::Tenancy& tenancy) {
  const auto policy = tenancy.policy();
  wasi_socketd::admin::v1::PolicyInfo info;
  info.set_source(policy->source);
  std::vector<std::string> names;
  for (const auto& tenant : policy->tenants) names.push_back(tenant->name);
  std::sort(names.begin(), names.end());
  for (const auto& name : names) info.add_tenants(name);
  return info;
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
  std::string socket_owner;
  std::string socket_group;
  std::string pid_file;
  app.add_option("--socket-mode", socket_mode,
                 "Permissions of the --listen socket file (octal); 0660 lets its group connect")
      ->type_name("MODE")
      ->capture_default_str();
  app.add_option("--socket-owner", socket_owner,
                 "Owner (user name or uid) of the --listen socket file (default: the daemon's "
                 "user)")
      ->type_name("USER");
  app.add_option("--socket-group", socket_group,
                 "Group (name or gid) of the --listen socket file, e.g. the group whose members "
                 "may connect (default: the daemon's group)")
      ->type_name("GROUP");
  app.add_option("--pid-file", pid_file,
                 "Write the daemon's pid to FILE (atomically) and remove it on exit, for "
                 "kill -HUP $(cat FILE)")
      ->type_name("FILE");
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
  wasi_socketd::systemd::use_stderr_format(*spdlog::default_logger(),
                                           wasi_socketd::systemd::stderr_is_journal());
  // Socket activation: systemd's "broker" socket replaces --listen. Unused passed fds are closed.
  auto inherited = wasi_socketd::systemd::InheritedSockets::from_environment();
  if (auto broker = inherited.take_unix_listener("broker")) {
    options.inherited_listener = *broker;
  } else if (!inherited.empty()) {
    spdlog::warn("socket activation passed no listening Unix socket named broker: using --listen");
  }
  wasi_socketd::daemon::raise_fd_limit();  // before the policy: its quota defaults follow it
  try {
    options.socket_mode = parse_mode(socket_mode);
    options.socket_owner =
        parse_account(socket_owner, "--socket-owner", &wasi_socketd::policy::parse_user);
    options.socket_group =
        parse_account(socket_group, "--socket-group", &wasi_socketd::policy::parse_group);
    auto created = wasi_socketd::policy::Tenancy::create(policy_path, ::geteuid());
    if (!created.tenancy) {
      spdlog::critical("policy rejected: {}", created.error->to_string());
      return EXIT_FAILURE;
    }
    const std::shared_ptr<wasi_socketd::policy::Tenancy> tenancy = created.tenancy;
    spdlog::info("policy {}: {}", tenancy->policy()->source,
                 wasi_socketd::policy::summarize(*tenancy->policy()));
    options.tenant_listeners = tenancy->policy()->listeners;
    // Configure, then start: everything the server calls back is wired before any session exists.
    wasi_socketd::daemon::DaemonServer server(options,
                                              wasi_socketd::daemon::policy_tenant_resolver(tenancy),
                                              {[tenancy] { return reload_policy(*tenancy); },
                                               [tenancy] { return describe_policy(*tenancy); }});
    // Denials are counted where the policy decides, before the audit log's rate limit. Decisions
    // run on the threads of session strands (io and gRPC threads), which end before `server` does.
    tenancy->on_denial(
        [&server](const std::string& tenant, std::string_view operation, std::string_view rule) {
          server.metrics().tenant(tenant)->denial(operation, rule);
        });
    // The audit sink in force (a reload may open another) and what its full queue dropped.
    server.metrics().registry().collected_gauge(
        "wasi_socketd_audit_lines_dropped",
        "Audit lines dropped because the audit writer's queue was full, since the sink opened", {},
        [tenancy] {
          return std::vector<wasi_socketd::daemon::Sample>{
              {{}, static_cast<double>(tenancy->audit()->queue_dropped())}};
        });
    server.start();
    // After the server is up: a pid file appears only once the daemon serves.
    std::optional<wasi_socketd::daemon::PidFile> pid;
    if (!pid_file.empty()) pid.emplace(pid_file);
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
