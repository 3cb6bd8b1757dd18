// What the command line chose for the daemon.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "policy/listener_definition.h"

namespace wasi_socketd::daemon {

struct DaemonOptions {
  std::string listen_path;        // the broker socket
  int inherited_listener = -1;    // a listening socket from systemd (LISTEN_FDS), used instead
  std::string admin_socket_path;  // the root-only admin socket; empty: next to the broker socket
  std::string metrics_http;       // "127.0.0.1:9464": serve /metrics there; empty: off
  mode_t socket_mode = 0660;      // permissions of the socket file
  std::optional<uid_t> socket_owner;  // chown the socket file after bind; unset: the daemon's uid
  std::optional<gid_t> socket_group;  // unset: the daemon's group
  int io_threads = 2;                 // threads running the io_context (sessions' strands)
  int lookup_threads = 16;            // threads running getaddrinfo for name lookups
  int lookups_per_tenant = 4;         // of those, how many one tenant may hold at once
  // Per-tenant listening sockets named by the policy, besides listen_path (which is "main").
  std::vector<policy::ListenerDefinition> tenant_listeners;
};

}  // namespace wasi_socketd::daemon
