// Keeps flooding uids away from a listening socket file: the kernel refuses their connect()
// (EACCES) before it reaches the listen backlog, so they can no longer fill the backlog that an
// admitted tenant's connects need (docs/SECURITY.md "Floods").
//
// Why at the file: connect() on a Unix socket succeeds only while the listen backlog has room,
// and gRPC clients do not retry a connect that met a full backlog. A uid looping connect() in a
// few threads refills the backlog as fast as any accept loop can drain it, so no work the daemon
// saves per refused connection keeps the backlog from being full. Write permission on the socket
// file is checked by the kernel first; a named-user ACL entry without permissions takes it away
// from one uid only.
//
// The access ACL is rebuilt from the file's mode plus one entry per banned uid (the mask equals
// the group bits, so the mode is unchanged). A file that already carried an ACL, or that the
// daemon may not change (not root, not its owner), is left alone: bans then fail and the caller
// logs it. Root ignores the ACL (root can do anything to the daemon anyway).
// Thread-safe.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <mutex>
#include <set>
#include <string>

namespace wasi_socketd::daemon {

class SocketFileBan {
 public:
  static constexpr std::size_t kMaxBanned = 64;

  // `path` is the socket file; `device`/`inode` identify it (a file later put at the path is
  // never touched). Empty path: nothing is ever banned.
  SocketFileBan(std::string path, dev_t device, ino_t inode);

  // Takes connect permission away from `uid`. False when it could not (full, the file is not
  // ours to change, it carried another ACL); `why` says why.
  bool ban(uid_t uid, std::string& why);
  // Gives it back (a no-op when `uid` is not banned).
  void lift(uid_t uid);
  void lift_all();
  bool banned(uid_t uid) const;

 private:
  // Writes the ACL for banned_ (mutex_ held); errno-style error or 0.
  int write_acl();
  // The ACL after a lift: none when nobody is banned (mutex_ held).
  void rewrite();

  const std::string path_;
  const dev_t device_;
  const ino_t inode_;
  bool foreign_acl_ = false;  // the file had an ACL of someone else's: hands off
  mutable std::mutex mutex_;
  std::set<uid_t> banned_;
};

}  // namespace wasi_socketd::daemon
