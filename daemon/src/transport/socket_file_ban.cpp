#include "socket_file_ban.h"

#include <linux/posix_acl.h>
#include <linux/posix_acl_xattr.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace wasi_socketd::daemon {
namespace {

constexpr const char* kAccessAcl = "system.posix_acl_access";

// One entry of the kernel's ACL xattr format (little-endian, sorted by tag, then id).
void append_entry(std::string& out, std::uint16_t tag, std::uint16_t perm, std::uint32_t id) {
  const auto put = [&out](std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
  };
  put(tag, 2);
  put(perm, 2);
  put(id, 4);
}

}  // namespace

SocketFileBan::SocketFileBan(std::string path, dev_t device, ino_t inode)
    : path_(std::move(path)), device_(device), inode_(inode) {
  if (!path_.empty()) {
    foreign_acl_ = ::lgetxattr(path_.c_str(), kAccessAcl, nullptr, 0) > 0;
  }
}

bool SocketFileBan::ban(uid_t uid, std::string& why) {
  std::lock_guard lock(mutex_);
  if (path_.empty()) {
    why = "the listener has no socket file";
    return false;
  }
  if (foreign_acl_) {
    why = path_ + " carries an ACL the daemon did not write";
    return false;
  }
  if (banned_.contains(uid)) return true;
  if (banned_.size() >= kMaxBanned) {
    why = std::to_string(kMaxBanned) + " uids are banned already";
    return false;
  }
  banned_.insert(uid);
  if (const int error = write_acl()) {
    banned_.erase(uid);
    why = path_ + ": " + std::strerror(error);
    return false;
  }
  return true;
}

void SocketFileBan::lift(uid_t uid) {
  std::lock_guard lock(mutex_);
  if (banned_.erase(uid) == 0) return;
  rewrite();
}

void SocketFileBan::lift_all() {
  std::lock_guard lock(mutex_);
  if (banned_.empty()) return;
  banned_.clear();
  rewrite();
}

void SocketFileBan::rewrite() {
  if (banned_.empty()) {
    struct stat status {};
    if (::lstat(path_.c_str(), &status) == 0 && status.st_dev == device_ &&
        status.st_ino == inode_) {
      ::lremovexattr(path_.c_str(), kAccessAcl);
    }
    return;
  }
  (void)write_acl();
}

bool SocketFileBan::banned(uid_t uid) const {
  std::lock_guard lock(mutex_);
  return banned_.contains(uid);
}

int SocketFileBan::write_acl() {
  struct stat status {};
  if (::lstat(path_.c_str(), &status) != 0) return errno;
  if (!S_ISSOCK(status.st_mode) || status.st_dev != device_ || status.st_ino != inode_) {
    return ESTALE;  // another file now has the path
  }
  const auto bits = [&status](int shift) {
    return static_cast<std::uint16_t>((status.st_mode >> shift) & 07);
  };
  std::string acl;
  const std::uint32_t version = POSIX_ACL_XATTR_VERSION;
  for (int i = 0; i < 4; ++i) acl += static_cast<char>((version >> (8 * i)) & 0xff);
  append_entry(acl, ACL_USER_OBJ, bits(6), ACL_UNDEFINED_ID);
  for (const uid_t uid : banned_) append_entry(acl, ACL_USER, 0, uid);
  append_entry(acl, ACL_GROUP_OBJ, bits(3), ACL_UNDEFINED_ID);
  append_entry(acl, ACL_MASK, bits(3), ACL_UNDEFINED_ID);
  append_entry(acl, ACL_OTHER, bits(0), ACL_UNDEFINED_ID);
  return ::lsetxattr(path_.c_str(), kAccessAcl, acl.data(), acl.size(), 0) == 0 ? 0 : errno;
}

}  // namespace wasi_socketd::daemon
