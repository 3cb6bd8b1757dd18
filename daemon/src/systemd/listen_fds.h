// Sockets handed to us by socket activation (LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES).
//
// from_environment() takes ownership of every passed fd and unsets the variables, so children
// never see them. Whatever nobody take()s is closed by the destructor. Not thread-safe: use it
// during startup, on one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasi_socketd::systemd {

struct InheritedSocket {
  int fd = -1;
  std::string name;  // FileDescriptorName= of the socket unit; "unknown" when systemd gave none
};

class InheritedSockets {
 public:
  static InheritedSockets from_environment();

  InheritedSockets() = default;
  InheritedSockets(const InheritedSockets&) = delete;
  InheritedSockets& operator=(const InheritedSockets&) = delete;
  InheritedSockets(InheritedSockets&& other) noexcept;
  InheritedSockets& operator=(InheritedSockets&& other) noexcept;
  ~InheritedSockets();

  // Removes and returns the listening Unix stream socket named `name`; the caller owns the fd.
  // A single socket without a useful name also answers, so a unit without FileDescriptorName=
  // still works. nullopt when there is no such socket (or it is not a listening Unix socket).
  std::optional<int> take_unix_listener(std::string_view name);

  bool empty() const { return sockets_.empty(); }
  const std::vector<InheritedSocket>& sockets() const { return sockets_; }

 private:
  explicit InheritedSockets(std::vector<InheritedSocket> sockets);

  std::vector<InheritedSocket> sockets_;
};

}  // namespace wasi_socketd::systemd
