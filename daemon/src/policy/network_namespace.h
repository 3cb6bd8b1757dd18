// A tenant's network namespace (e.g. /run/netns/NAME from `ip netns add`), entered only for
// the instant a socket is created: the socket then lives in that namespace for good, while
// the daemon's threads stay in their own.
// Threading: open() anywhere; enter() on the thread that is about to create the socket. setns()
// changes only the calling thread, and the Entry restores it before that thread runs any other
// handler, so sessions sharing the io_context never observe a foreign namespace.
#pragma once

#include <memory>
#include <string>

namespace wasi_socketd::policy {

class NetworkNamespace {
 public:
  // nullptr and `error` set if `path` cannot be opened as a network namespace.
  static std::shared_ptr<NetworkNamespace> open(const std::string& path, std::string& error);
  ~NetworkNamespace();
  NetworkNamespace(const NetworkNamespace&) = delete;
  NetworkNamespace& operator=(const NetworkNamespace&) = delete;

  // Inside the namespace while alive. ok() false (and nothing changed) if setns failed.
  class Entry {
   public:
    ~Entry();
    Entry(Entry&& other) noexcept : return_fd_(other.return_fd_), ok_(other.ok_) {
      other.return_fd_ = -1;
    }
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
    bool ok() const { return ok_; }

   private:
    friend class NetworkNamespace;
    Entry(int return_fd, bool ok) : return_fd_(return_fd), ok_(ok) {}
    int return_fd_;  // the thread's own namespace, re-entered on destruction
    bool ok_;
  };

  Entry enter() const;
  const std::string& path() const { return path_; }

 private:
  NetworkNamespace(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}

  int fd_;
  std::string path_;
};

}  // namespace wasi_socketd::policy
