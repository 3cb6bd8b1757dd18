// Test helper: runs a function in a child process that has dropped to another uid/gid, the way
// an unprivileged tenant process would reach the daemon. The test process must be root.
// The parent must not have started gRPC (it is not fork-safe); the child may use it freely.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

namespace wasi_socketd::policy {

// Forks; the child sets groups/gid/uid and exits with body()'s return value (0-125).
// Returns that exit code, or 126 if dropping privileges failed, 127 if the child died otherwise.
int run_as(uid_t uid, gid_t gid, const std::function<int()>& body);

// For body(): prints "child uid N: why" to stderr (the parent's test output) and returns `code`,
// the exit code that tells the parent which check failed.
int child_failure(int code, const std::string& why);

}  // namespace wasi_socketd::policy
