// --pid-file: the daemon's pid in a file, so `kill -HUP $(cat FILE)` reaches this daemon and not
// every wasi-socketd on the host. Written atomically (temporary file + rename), so a reader never
// sees a half-written pid; removed on destruction only while it still holds our pid (a second
// daemon started on the same path owns it now). Owned by main's thread; not thread-safe.
#pragma once

#include <string>

namespace wasi_socketd::daemon {

class PidFile {
 public:
  // Throws std::system_error when the file cannot be written.
  explicit PidFile(std::string path);
  ~PidFile();
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;

 private:
  std::string path_;
};

}  // namespace wasi_socketd::daemon
