#include "temp_directory.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace wasi_socketd::testing {

TempDirectory::TempDirectory(std::string_view prefix) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  ::chmod(pattern.c_str(), 0755);
  path_ = pattern;
}

TempDirectory::~TempDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDirectory::file(std::string_view name) const {
  return path_ + "/" + std::string(name);
}

std::string TempDirectory::write(std::string_view name, std::string_view text) const {
  const std::string path = file(name);
  std::ofstream(path) << text;
  return path;
}

}  // namespace wasi_socketd::testing
