#include "audit/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "audit/json_line.h"

namespace wasi_socketd::audit {

std::shared_ptr<AuditLog> AuditLog::to_stderr() {
  return std::shared_ptr<AuditLog>(new AuditLog(STDERR_FILENO, false));
}

std::shared_ptr<AuditLog> AuditLog::to_file(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = path + ": " + std::strerror(errno);
    return nullptr;
  }
  return std::shared_ptr<AuditLog>(new AuditLog(fd, true));
}

std::shared_ptr<AuditLog> AuditLog::discard() {
  return std::shared_ptr<AuditLog>(new AuditLog(-1, false));
}

AuditLog::AuditLog(int fd, bool owns_fd) : fd_(fd), owns_fd_(owns_fd) {}

AuditLog::~AuditLog() {
  if (owns_fd_) ::close(fd_);
}

void AuditLog::record(const AuditEvent& event) {
  if (fd_ < 0) return;
  const std::string line = to_json_line(event) + '\n';
  std::lock_guard lock(mutex_);
  // One write() per line under the lock: O_APPEND keeps lines whole even with other writers.
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // an audit sink that cannot write must not take the daemon down
    done += static_cast<std::size_t>(n);
  }
  ++recorded_;
}

std::size_t AuditLog::recorded() const {
  std::lock_guard lock(mutex_);
  return recorded_;
}

}  // namespace wasi_socketd::audit
