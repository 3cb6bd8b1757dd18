// A temporary directory for one test, removed with everything in it when the object goes. Mode
// 0755, so that child processes running as other (unprivileged) uids can reach what is inside.
#pragma once

#include <string>
#include <string_view>

namespace wasi_socketd::testing {

class TempDirectory {
 public:
  // Under $TMPDIR (or /tmp), named "<prefix>-XXXXXX". Throws if it cannot be made.
  explicit TempDirectory(std::string_view prefix = "wasi-socketd-test");
  ~TempDirectory();
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  const std::string& path() const { return path_; }
  // The path of `name` inside the directory (nothing is created).
  std::string file(std::string_view name) const;
  // Writes `text` to `name` inside the directory; returns its path.
  std::string write(std::string_view name, std::string_view text) const;

 private:
  std::string path_;
};

}  // namespace wasi_socketd::testing
