// A local user squats the default broker socket of another user. Without $XDG_RUNTIME_DIR a
// non-root client's default path is /tmp/wasi-socketd-<uid>.sock, a name any local user can create
// first; whoever listens there serves every socket of the victim's guest (measured on main: a
// hostile uid's daemon at /tmp/wasi-socketd-1001.sock received the victim's wasi-socket-run
// session, with its binds and accepted peers in the hostile uid's audit log). The client library
// and wasi-socket-run now refuse such a socket by default (untrusted_socket_reason in
// proto/wasi_socketd/default_socket_path.h). Root only: the files belong to other uids.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "../daemon/policy/run_as.h"
#include "daemon_process.h"
#include "temp_directory.h"
#include "wasi_socketd/client/session.h"
#include "wasi_socketd/default_socket_path.h"

namespace wasi_socketd::testing {
namespace {

constexpr uid_t kVictim = 64101;
constexpr uid_t kSquatter = 64102;

// A socket bound at `path`, owned by `owner`, mode 0666; returns its fd (not listening).
int bind_socket_file(const std::string& path, uid_t owner) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  EXPECT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  EXPECT_EQ(::chown(path.c_str(), owner, owner), 0);
  EXPECT_EQ(::chmod(path.c_str(), 0666), 0);
  return fd;
}

// A socket file at `path` owned by `owner` (nobody listens: only the file is judged).
void make_socket_file(const std::string& path, uid_t owner) {
  ::close(bind_socket_file(path, owner));
}

// A directory like /tmp: everyone may create files, the sticky bit keeps them from removing
// others'.
std::string make_shared_directory(const TempDirectory& dir) {
  const std::string shared = dir.file("shared");
  EXPECT_EQ(::mkdir(shared.c_str(), 0755), 0);
  EXPECT_EQ(::chmod(shared.c_str(), 01777), 0);
  return shared;
}

// Opens a client session on the default path as `uid`, with $XDG_RUNTIME_DIR = `runtime_dir`:
// 0 refused as untrusted, 1 opened, 2 failed otherwise.
int open_default_session_as(uid_t uid, const std::string& runtime_dir) {
  return policy::run_as(uid, uid, [&] {
    ::unsetenv("WASI_SOCKETD_SOCKET");
    ::setenv("XDG_RUNTIME_DIR", runtime_dir.c_str(), 1);
    std::string error;
    if (client::Session::open(client::SessionOptions{}, &error)) return 1;
    return error.find("not using the broker socket") != std::string::npos ? 0 : 2;
  });
}

class BrokerSocketTrust : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root: the socket files belong to other uids";
  }
};

TEST_F(BrokerSocketTrust, AnotherUsersSocketWhereAnyoneMayCreateFilesIsNotTrusted) {
  TempDirectory dir;
  const std::string shared = make_shared_directory(dir);
  const std::string squatted = shared + "/squatted.sock";
  make_socket_file(squatted, kSquatter);
  const auto doubt = untrusted_socket_reason(squatted, kVictim);
  ASSERT_TRUE(doubt.has_value());
  EXPECT_NE(doubt->find("uid " + std::to_string(kSquatter)), std::string::npos) << *doubt;
  EXPECT_FALSE(untrusted_socket_reason(squatted, kSquatter)) << "its owner's own socket";

  const std::string roots = shared + "/root.sock";
  make_socket_file(roots, 0);
  EXPECT_FALSE(untrusted_socket_reason(roots, kVictim)) << "root's socket";

  // A system broker's socket: another user's, in a directory only root may change
  // (/run/wasi-socketd of the packaged daemon, which runs as its own user).
  const std::string system_dir = dir.file("system");
  ASSERT_EQ(::mkdir(system_dir.c_str(), 0755), 0);
  make_socket_file(system_dir + "/broker.sock", kSquatter);
  EXPECT_FALSE(untrusted_socket_reason(system_dir + "/broker.sock", kVictim));

  // ... and in the broker account's own directory (the packaged /run/wasi-socketd), but not in a
  // directory whose group may write to it.
  const std::string their_dir = dir.file("theirs");
  ASSERT_EQ(::mkdir(their_dir.c_str(), 0755), 0);
  ASSERT_EQ(::chown(their_dir.c_str(), kSquatter, kSquatter), 0);
  make_socket_file(their_dir + "/broker.sock", kSquatter);
  EXPECT_FALSE(untrusted_socket_reason(their_dir + "/broker.sock", kVictim));
  EXPECT_FALSE(untrusted_socket_reason(their_dir + "/broker.sock", 0)) << "root, packaged daemon";
  ASSERT_EQ(::chmod(their_dir.c_str(), 0775), 0);
  EXPECT_TRUE(untrusted_socket_reason(their_dir + "/broker.sock", kVictim));

  const std::string plain = dir.write("plain", "not a socket");
  EXPECT_TRUE(untrusted_socket_reason(plain, 0));
}

// End to end through the client library: a squatter's real broker at the victim's default path
// (a world-writable $XDG_RUNTIME_DIR here, as /tmp is for the fallback), with a policy that
// admits everyone. Main opened the victim's session on it.
TEST_F(BrokerSocketTrust, TheClientLibraryRefusesASquattedDefaultSocket) {
  TempDirectory dir;
  const std::string shared = make_shared_directory(dir);
  const std::string policy =
      dir.write("anyone.toml", "[[tenant]]\nname = \"anyone\"\n[tenant.tcp]\n");
  DaemonProcess squatter(DaemonOptions{
      .extra_args = {"--socket-owner", std::to_string(kSquatter), "--socket-mode", "0666"},
      .policy_path = policy,
      .socket_path = shared + "/wasi-socketd.sock"});
  ASSERT_TRUE(accepts_connections(squatter.socket_path()));

  const int status = open_default_session_as(kVictim, shared);
  EXPECT_EQ(status, 0) << "1: the victim's session opened on the squatter's broker; 2: refused "
                          "for another reason";
  // The owner of that socket still uses it by default.
  const int owner_status = open_default_session_as(kSquatter, shared);
  EXPECT_EQ(owner_status, 1) << "the socket's owner could not open a session on it";
}

// wasi-socketctl's default admin socket sits next to the broker's, so a non-root user's is as
// squattable. A squatter's listener there would receive the commands and the policy files of
// `policy check`; main sent them.
TEST_F(BrokerSocketTrust, SocketctlDoesNotTalkToASquattedDefaultAdminSocket) {
  TempDirectory dir;
  const std::string shared = make_shared_directory(dir);
  const int squatter = bind_socket_file(shared + "/wasi-socketd.admin.sock", kSquatter);
  ASSERT_EQ(::listen(squatter, 4), 0);
  const std::string policy = dir.write("secret.toml", "# the victim's policy\n");
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(policy.c_str(), 0644), 0);

  const std::string command = "/usr/bin/setpriv --reuid " + std::to_string(kVictim) + " --regid " +
                              std::to_string(kVictim) +
                              " --clear-groups /usr/bin/env -u WASI_SOCKETD_SOCKET -u "
                              "WASI_SOCKETD_ADMIN_SOCKET XDG_RUNTIME_DIR=" +
                              shared + " " + WASI_SOCKETCTL_BINARY + " --timeout 2 policy check " +
                              policy + " 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    output.append(buffer, n);
  const int status = ::pclose(pipe);

  // What reached the squatter: a connection waiting in its backlog, with the client's bytes.
  ASSERT_EQ(::fcntl(squatter, F_SETFL, O_NONBLOCK), 0);
  const int connection = ::accept(squatter, nullptr, nullptr);
  std::size_t received = 0;
  if (connection >= 0) {
    for (ssize_t n; (n = ::recv(connection, buffer, sizeof buffer, MSG_DONTWAIT)) > 0;) {
      received += static_cast<std::size_t>(n);
    }
    ::close(connection);
  }
  ::close(squatter);
  EXPECT_LT(connection, 0) << "wasi-socketctl connected to the squatter and sent " << received
                           << " bytes";
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 3) << output;
  EXPECT_NE(output.find("not using the admin socket at " + shared), std::string::npos) << output;
}

}  // namespace
}  // namespace wasi_socketd::testing
