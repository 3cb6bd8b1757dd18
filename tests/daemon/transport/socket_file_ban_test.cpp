// Keeping a flooding uid away from a socket file: the ACL takes connect permission from that uid
// only, leaves the mode alone, goes when lifted, and never touches a file that is not the
// listener's or that carries an ACL the daemon did not write.
#include "transport/socket_file_ban.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "policy/run_as.h"
#include "temp_directory.h"
#include "transport/unix_socket_file.h"

namespace wasi_socketd::daemon {
namespace {

namespace fs = std::filesystem;
constexpr const char* kAccessAcl = "system.posix_acl_access";
constexpr uid_t kFlooder = 61041;
constexpr uid_t kBystander = 61042;

class SocketFileBanTest : public ::testing::Test {
 protected:
  // The directory is 0755: other uids must reach the socket file.
  SocketFileBanTest() { socket_ = listen_unix(directory_.file("broker.sock"), 0666); }
  ~SocketFileBanTest() override { ::close(socket_.fd); }

  SocketFileBan ban_for_socket() const {
    return SocketFileBan(socket_.file.path, socket_.file.device, socket_.file.inode);
  }
  bool has_acl() const {
    return ::lgetxattr(socket_.file.path.c_str(), kAccessAcl, nullptr, 0) > 0;
  }
  mode_t mode() const {
    struct stat status {};
    ::lstat(socket_.file.path.c_str(), &status);
    return status.st_mode & 07777;
  }
  // errno of a connect() by `uid` (0: connected); needs root.
  int connect_as(uid_t uid) const {
    const std::string path = socket_.file.path;
    return policy::run_as(uid, uid, [&path] {
      const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      sockaddr_un address{};
      address.sun_family = AF_UNIX;
      std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
      const int result = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
      return result == 0 ? 0 : errno;
    });
  }

  testing::TempDirectory directory_{"ban-test"};
  ListeningSocket socket_;
};

TEST_F(SocketFileBanTest, TakesConnectPermissionFromThatUidOnlyUntilLifted) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to connect as other uids";
  SocketFileBan ban = ban_for_socket();
  ASSERT_EQ(connect_as(kFlooder), 0);
  std::string why;
  ASSERT_TRUE(ban.ban(kFlooder, why)) << why;
  EXPECT_TRUE(ban.banned(kFlooder));
  EXPECT_EQ(connect_as(kFlooder), EACCES);
  EXPECT_EQ(connect_as(kBystander), 0);
  EXPECT_EQ(mode(), 0666u) << "the ban changed the socket file's mode";
  ban.lift(kFlooder);
  EXPECT_FALSE(ban.banned(kFlooder));
  EXPECT_FALSE(has_acl()) << "the ACL stayed after the last ban was lifted";
  EXPECT_EQ(connect_as(kFlooder), 0);
}

TEST_F(SocketFileBanTest, LiftingOneBanKeepsTheOthers) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to connect as other uids";
  SocketFileBan ban = ban_for_socket();
  std::string why;
  ASSERT_TRUE(ban.ban(kFlooder, why)) << why;
  ASSERT_TRUE(ban.ban(kBystander, why)) << why;
  ban.lift(kBystander);
  EXPECT_EQ(connect_as(kFlooder), EACCES);
  EXPECT_EQ(connect_as(kBystander), 0);
  ban.lift_all();
  EXPECT_EQ(connect_as(kFlooder), 0);
  EXPECT_FALSE(has_acl());
}

TEST_F(SocketFileBanTest, LeavesAnotherFileAtThePathAlone) {
  SocketFileBan ban(socket_.file.path, socket_.file.device, socket_.file.inode + 1);
  std::string why;
  EXPECT_FALSE(ban.ban(kFlooder, why));
  EXPECT_NE(why.find(std::strerror(ESTALE)), std::string::npos) << why;
  EXPECT_FALSE(has_acl());
}

TEST_F(SocketFileBanTest, LeavesAnAclItDidNotWriteAlone) {
  // Someone else's ACL: uid 1234 may connect as well (an entry the mode cannot express).
  const auto entry = [](char tag, std::uint32_t id) {
    std::string bytes{tag, '\0', '\x06', '\0'};
    for (int i = 0; i < 4; ++i) bytes += static_cast<char>((id >> (8 * i)) & 0xff);
    return bytes;
  };
  const std::string acl = std::string("\x02\0\0\0", 4) + entry('\x01', ~0u) + entry('\x02', 1234) +
                          entry('\x04', ~0u) + entry('\x10', ~0u) + entry('\x20', ~0u);
  if (::lsetxattr(socket_.file.path.c_str(), kAccessAcl, acl.data(), acl.size(), 0) != 0) {
    GTEST_SKIP() << "no POSIX ACLs here: " << std::strerror(errno);
  }
  ASSERT_TRUE(has_acl());
  SocketFileBan ban = ban_for_socket();
  std::string why;
  EXPECT_FALSE(ban.ban(kFlooder, why));
  EXPECT_NE(why.find("ACL the daemon did not write"), std::string::npos) << why;
}

}  // namespace
}  // namespace wasi_socketd::daemon
