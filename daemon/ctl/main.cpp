// wasi-socketctl: inspect and steer a running wasi-socketd through its root-only admin socket.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "admin/admin_socket_path.h"
#include "admin_client.h"
#include "output.h"
#include "policy_suggestion.h"

namespace {

using namespace wasi_socketd::daemon;
using ctl::CommandError;

constexpr std::size_t kMaxPolicyFileBytes = 1 << 20;

struct Options {
  std::string admin_socket = default_admin_socket_path();
  int timeout_seconds = 10;
  bool json = false;
  std::string tenant;
  std::string policy_file;
  bool raw = false;
  std::string audit_file;
};

std::string read_policy_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw CommandError{ctl::kExitFailed, "cannot read " + path};
  std::ostringstream text;
  text << file.rdbuf();
  if (text.str().size() > kMaxPolicyFileBytes) {
    throw CommandError{ctl::kExitFailed, path + " is larger than 1 MiB"};
  }
  return text.str();
}

int check_policy(ctl::AdminClient& admin, const Options& options) {
  const auto result =
      admin.check_policy(options.policy_file, read_policy_file(options.policy_file));
  if (options.json) {
    std::cout << ctl::as_json(result);
  } else if (result.valid()) {
    std::cout << options.policy_file << ": ok (" << result.tenants_size() << " tenants)\n";
  } else {
    std::cerr << result.error() << "\n";
  }
  return result.valid() ? 0 : ctl::kExitFailed;
}

int reload_policy(ctl::AdminClient& admin, const Options& options) {
  const auto result = admin.reload_policy();
  if (options.json) {
    std::cout << ctl::as_json(result);
  } else if (result.reloaded()) {
    std::cout << "policy reloaded\n" << ctl::format_policy(result.policy());
  } else {
    std::cerr << "reload rejected, the previous policy stays: " << result.error() << "\n";
  }
  return result.reloaded() ? 0 : ctl::kExitFailed;
}

// Offline: reads the audit log, never the daemon.
int suggest_policy(const Options& options) {
  std::ifstream audit(options.audit_file, std::ios::binary);
  if (!audit) throw CommandError{ctl::kExitFailed, "cannot read " + options.audit_file};
  const auto report = ctl::suggest_policy(audit, options.tenant, options.audit_file);
  std::cout << report.toml;
  if (report.unreadable != 0) {
    std::cerr << "wasi-socketctl: " << report.unreadable << " of " << report.lines
              << " lines are not audit records and were skipped\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{
      "Inspect and control a running wasi-socketd through its admin socket.\n"
      "Exit status: 0 ok, 1 the daemon refused (invalid policy, rejected reload),\n"
      "2 usage error, 3 daemon not reachable."};
  app.set_version_flag("--version", std::string(WASI_SOCKETD_VERSION));
  app.option_defaults()->always_capture_default();
  auto* admin_socket = app.add_option("--admin-socket", options.admin_socket,
                                      "Admin socket of the daemon ($WASI_SOCKETD_ADMIN_SOCKET)");
  app.add_option("--timeout", options.timeout_seconds, "Seconds to wait for an answer")
      ->check(CLI::Range(1, 3600));
  app.add_flag("--json", options.json, "Print the daemon's answer as JSON");
  app.require_subcommand(1);
  // `wasi-socketctl sessions --json` as well as `wasi-socketctl --json sessions`: a subcommand
  // passes the options it does not know to its parent.
  app.fallthrough();

  auto* status = app.add_subcommand("status", "Version, uptime, listeners, counts, policy");
  auto* sessions = app.add_subcommand("sessions", "Live sessions (one per client connection)");
  auto* sockets = app.add_subcommand("sockets", "Open sockets");
  sockets->add_option("--tenant", options.tenant, "Only this tenant's sockets");
  auto* stats = app.add_subcommand("stats", "Counters and gauges (Prometheus samples)");
  stats->add_flag("--raw", options.raw, "The full Prometheus exposition, with HELP and TYPE");
  auto* policy = app.add_subcommand("policy", "Check, reload or suggest the tenancy policy");
  policy->require_subcommand(1);
  policy->fallthrough();
  auto* check = policy->add_subcommand("check", "Validate a policy file with the daemon's parser");
  check->add_option("FILE", options.policy_file, "Policy file (TOML)")->required();
  auto* reload = policy->add_subcommand("reload", "Re-read the daemon's policy file (like SIGHUP)");
  auto* suggest = policy->add_subcommand(
      "suggest",
      "Print the smallest TOML rules that would have allowed what an audit log records as\n"
      "deny or would-deny (offline: reads the log, not the daemon)");
  suggest->add_option("--audit", options.audit_file, "Audit log (the daemon's JSON lines)")
      ->required();
  suggest->add_option("--tenant", options.tenant, "Only this tenant (default: every tenant)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version exit 0; every usage error exits 2 (CLI11's own codes vary).
    return app.exit(error) == 0 ? 0 : 2;
  }

  try {
    if (*suggest) return suggest_policy(options);
    if (admin_socket->count() == 0) {
      if (auto doubt = untrusted_default_admin_socket_reason()) {
        throw CommandError{ctl::kExitUnreachable, "not using the admin socket at " +
                                                      options.admin_socket + ": " + *doubt +
                                                      " (--admin-socket PATH uses it anyway)"};
      }
    }
    ctl::AdminClient admin(options.admin_socket, options.timeout_seconds);
    if (*status) {
      const auto answer = admin.status();
      std::cout << (options.json ? ctl::as_json(answer) : ctl::format_status(answer));
    } else if (*sessions) {
      const auto answer = admin.sessions();
      std::cout << (options.json ? ctl::as_json(answer) : ctl::format_sessions(answer));
    } else if (*sockets) {
      const auto answer = admin.sockets(options.tenant);
      std::cout << (options.json ? ctl::as_json(answer) : ctl::format_sockets(answer));
    } else if (*stats) {
      const auto text = admin.metrics();
      std::cout << (options.raw ? text : ctl::format_stats(text));
    } else if (*check) {
      return check_policy(admin, options);
    } else if (*reload) {
      return reload_policy(admin, options);
    }
    return 0;
  } catch (const CommandError& error) {
    std::cerr << "wasi-socketctl: " << error.message << "\n";
    return error.exit_code;
  }
}
