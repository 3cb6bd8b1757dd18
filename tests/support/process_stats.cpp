#include "process_stats.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

namespace wasi_socketd::testing {

namespace fs = std::filesystem;

namespace {

fs::path fd_directory(pid_t pid) { return fs::path("/proc") / std::to_string(pid) / "fd"; }

}  // namespace

std::size_t open_fd_count(pid_t pid) {
  std::error_code error;
  std::size_t count = 0;
  for (fs::directory_iterator it(fd_directory(pid), error), end; !error && it != end;
       it.increment(error)) {
    ++count;
  }
  return count;
}

std::size_t stable_fd_count(pid_t pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::size_t count = open_fd_count(pid);
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::size_t next = open_fd_count(pid);
    if (next == count) break;
    count = next;
  }
  return count;
}

std::size_t settle_fd_count(pid_t pid, std::size_t baseline, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t count = open_fd_count(pid);
  while (count > baseline && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    count = open_fd_count(pid);
  }
  return count;
}

std::string open_fd_listing(pid_t pid) {
  std::map<int, std::string> targets;  // in fd order
  std::error_code error;
  for (fs::directory_iterator it(fd_directory(pid), error), end; !error && it != end;
       it.increment(error)) {
    std::error_code unreadable;
    const fs::path target = fs::read_symlink(it->path(), unreadable);
    targets[std::stoi(it->path().filename().string())] = unreadable ? "?" : target.string();
  }
  std::string listing;
  for (const auto& [fd, target] : targets) {
    listing += std::to_string(fd) + " -> " + target + "\n";
  }
  return listing;
}

bool holds_tcp_port(pid_t pid, std::uint16_t port) {
  // Lines of /proc/net/tcp: "sl local_address(hex ip:hex port) rem_address st tx:rx tr:when
  // retrnsmt uid timeout inode ...".
  std::set<std::string> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream lines(table);
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      const std::size_t colon = local.rfind(':');
      if (colon != std::string::npos && std::stoul(local.substr(colon + 1), nullptr, 16) == port) {
        inodes.insert("socket:[" + inode + "]");
      }
    }
  }
  std::error_code error;
  for (fs::directory_iterator it(fd_directory(pid), error), end; !error && it != end;
       it.increment(error)) {
    std::error_code unreadable;
    if (inodes.contains(fs::read_symlink(it->path(), unreadable).string())) return true;
  }
  return false;
}

long resident_bytes(pid_t pid) {
  std::ifstream status(fs::path("/proc") / std::to_string(pid) / "status");
  for (std::string key; status >> key;) {
    if (key == "VmRSS:") {
      long kilobytes = 0;
      status >> kilobytes;
      return kilobytes * 1024;
    }
    status.ignore(4096, '\n');
  }
  return -1;
}

}  // namespace wasi_socketd::testing
