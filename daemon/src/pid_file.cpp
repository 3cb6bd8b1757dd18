#include "pid_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <system_error>

namespace wasi_socketd::daemon {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

PidFile::PidFile(std::string path) : path_(std::move(path)) {
  const std::string text = std::to_string(::getpid()) + "\n";
  std::string staging = path_ + ".XXXXXX";
  const int fd = ::mkstemp(staging.data());
  if (fd < 0) fail("creating a temporary file for the pid file " + path_);
  const bool written = ::fchmod(fd, 0644) == 0 &&
                       ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  int error = errno;
  ::close(fd);
  if (written && ::rename(staging.c_str(), path_.c_str()) == 0) return;
  if (written) error = errno;
  ::unlink(staging.c_str());
  errno = error;
  fail("writing the pid file " + path_);
}

PidFile::~PidFile() {
  std::ifstream in(path_);
  long pid = 0;
  if (in >> pid && pid == ::getpid()) ::unlink(path_.c_str());
}

}  // namespace wasi_socketd::daemon
