#include "audit/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

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

AuditLog::AuditLog(int fd, bool owns_fd)
    : fd_(fd), owns_fd_(owns_fd), writer_(fd >= 0 ? std::make_unique<AuditWriter>(fd) : nullptr) {}

AuditLog::~AuditLog() {
  if (writer_) {
    {
      std::lock_guard lock(mutex_);
      for (AuditEvent& line : rate_limit_.drain()) writer_->enqueue(std::move(line));
    }
    writer_.reset();  // writes what is queued, then joins the writer thread
  }
  if (owns_fd_) ::close(fd_);
}

void AuditLog::record(const AuditEvent& event) {
  if (!writer_) return;
  std::vector<AuditEvent> suppression_lines;
  std::lock_guard lock(mutex_);
  const bool admitted = rate_limit_.admit(event, suppression_lines);
  for (AuditEvent& line : suppression_lines) writer_->enqueue(std::move(line));
  if (admitted) writer_->enqueue(event);
}

void AuditLog::flush() {
  if (writer_) writer_->flush();
}

std::size_t AuditLog::recorded() const { return writer_ ? writer_->written() : 0; }

std::size_t AuditLog::dropped() const {
  std::lock_guard lock(mutex_);
  return rate_limit_.dropped();
}

std::uint64_t AuditLog::queue_dropped() const { return writer_ ? writer_->dropped() : 0; }

}  // namespace wasi_socketd::audit
