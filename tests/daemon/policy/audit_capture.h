// Test helper: a real AuditLog writing to a temporary file, and the lines it holds.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "audit/audit_log.h"

namespace wasi_socketd::policy {

class AuditCapture {
 public:
  AuditCapture() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() / ("policy-audit-" + std::to_string(::getpid()) +
                                                      "-" + std::to_string(counter++) + ".log");
    std::filesystem::remove(path_);
    std::string error;
    log_ = audit::AuditLog::to_file(path_, error);
  }
  ~AuditCapture() { std::filesystem::remove(path_); }

  std::shared_ptr<audit::AuditLog> log() const { return log_; }
  // Every line recorded so far (the log writes on its own thread: flushed first).
  std::vector<std::string> lines() const {
    if (log_) log_->flush();
    std::ifstream in(path_);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  std::string last() const {
    const auto all = lines();
    return all.empty() ? "" : all.back();
  }

 private:
  std::filesystem::path path_;
  std::shared_ptr<audit::AuditLog> log_;
};

inline bool has(const std::string& line, const std::string& fragment) {
  return line.find(fragment) != std::string::npos;
}

}  // namespace wasi_socketd::policy
