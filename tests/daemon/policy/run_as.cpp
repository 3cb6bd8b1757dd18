#include "run_as.h"

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace wasi_socketd::policy {

int run_as(uid_t uid, gid_t gid, const std::function<int()>& body) {
  const pid_t child = ::fork();
  if (child == 0) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) ::_exit(126);
    int code = 125;
    try {
      code = body();
    } catch (...) {
      code = 124;
    }
    ::_exit(code);
  }
  int status = 0;
  if (child < 0 || ::waitpid(child, &status, 0) != child) return 127;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 127;
}

int child_failure(int code, const std::string& why) {
  std::fprintf(stderr, "child uid %u: %s\n", ::getuid(), why.c_str());
  return code;
}

}  // namespace wasi_socketd::policy
