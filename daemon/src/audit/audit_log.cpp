#include "audit/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

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
  if (fd_ >= 0) {
    std::lock_guard lock(mutex_);
    for (const AuditEvent& line : rate_limit_.drain()) write_line(line);
  }
  if (owns_fd_) ::close(fd_);
}

void AuditLog::record(const AuditEvent& event) {
  if (fd_ < 0) return;
  std::vector<AuditEvent> suppression_lines;
  std::lock_guard lock(mutex_);
  const bool admitted = rate_limit_.admit(event, suppression_lines);
  for (const AuditEvent& line : suppression_lines) write_line(line);
  if (admitted) write_line(event);
}

void AuditLog::write_line(const AuditEvent& event) {
  const std::string line = to_json_line(event) + '\n';
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

std::size_t AuditLog::dropped() const {
  std::lock_guard lock(mutex_);
  return rate_limit_.dropped();
}

}  // namespace wasi_socketd::audit
