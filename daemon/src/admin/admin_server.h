// The root-only admin socket: a Unix socket (mode 0600) whose connections we accept ourselves,
// admit only from root or the daemon's own uid (SO_PEERCRED, checked on top of the file mode),
// and hand to a gRPC server that serves nothing but the Admin service.
//
// Threading: start() and stop() from one thread (main). One accept thread of its own; gRPC calls
// run on gRPC's threads. stop() returns after the accept thread ended and in-flight calls finished
// (or a short deadline passed); the destructor stops.
#pragma once

#include <grpcpp/server.h>

#include <memory>
#include <string>
#include <thread>

#include "admin/admin_service.h"
#include "transport/unix_socket_file.h"

namespace wasi_socketd::daemon {

class AdminServer {
 public:
  // `backend` must outlive the server.
  explicit AdminServer(AdminBackend& backend);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Binds `path` (replacing a stale socket file, refusing one a live process listens on) and
  // starts serving. Throws std::system_error / std::runtime_error with the reason.
  void start(const std::string& path);
  // Stops accepting, finishes calls, removes the socket file. Idempotent.
  void stop();

  const std::string& path() const { return path_; }

 private:
  void accept_loop();
  bool admitted(int connection) const;

  AdminService service_;
  std::unique_ptr<grpc::Server> server_;
  std::string path_;
  int listener_ = -1;
  SocketFile file_;  // removed at stop() only while the path still names it
  int wakeup_ = -1;  // eventfd that tells the accept thread to end
  std::thread acceptor_;
};

}  // namespace wasi_socketd::daemon
