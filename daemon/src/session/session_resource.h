// Base of everything a session's resource table holds (TCP sockets, UDP sockets).
// Used on the owning session's strand only.
#pragma once

namespace wasi_socketd::daemon {

class SessionResource {
 public:
  virtual ~SessionResource() = default;
  // The session ends: release the kernel socket now; no callback of it may reach the session later.
  virtual void close() = 0;
};

}  // namespace wasi_socketd::daemon
