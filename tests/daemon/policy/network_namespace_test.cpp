// Sockets created while a NetworkNamespace is entered live in it; the thread comes back.
// Needs root and `ip netns`; skips with the reason otherwise.
#include "policy/network_namespace.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace wasi_socketd::policy {
namespace {

ino_t current_netns_inode() {
  struct stat info {};
  ::stat("/proc/thread-self/ns/net", &info);
  return info.st_ino;
}

class NetworkNamespaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to create a network namespace";
    name_ = "wsd-test-" + std::to_string(::getpid());
    if (std::system(("ip netns add " + name_ + " 2>/dev/null").c_str()) != 0) {
      GTEST_SKIP() << "`ip netns add` is not permitted here";
    }
    created_ = true;
  }
  void TearDown() override {
    if (created_) std::system(("ip netns delete " + name_).c_str());
  }

  std::string name_;
  bool created_ = false;
};

TEST_F(NetworkNamespaceTest, SocketsCreatedInsideLiveThereAndTheThreadReturns) {
  std::string error;
  auto netns = NetworkNamespace::open("/run/netns/" + name_, error);
  ASSERT_TRUE(netns) << error;
  const ino_t home = current_netns_inode();

  // Bind the same loopback port in both namespaces: only possible if they are different stacks.
  // (A fresh namespace's loopback is down; binding 127.0.0.1 still needs it up.)
  ASSERT_EQ(std::system(("ip netns exec " + name_ + " ip link set lo up").c_str()), 0);
  int inside = -1;
  {
    auto entry = netns->enter();
    ASSERT_TRUE(entry.ok());
    EXPECT_NE(current_netns_inode(), home);
    inside = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  }
  EXPECT_EQ(current_netns_inode(), home);
  const int outside = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(inside, 0);
  ASSERT_GE(outside, 0);

  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ASSERT_EQ(::bind(outside, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ::getsockname(outside, reinterpret_cast<sockaddr*>(&address), &length);
  ASSERT_EQ(::listen(outside, 1), 0);
  // Same port inside: no conflict, because it is a different network stack.
  EXPECT_EQ(::bind(inside, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ::close(inside);
  ::close(outside);
}

TEST(NetworkNamespaceOpen, NonexistentPathIsAnError) {
  std::string error;
  EXPECT_FALSE(NetworkNamespace::open("/nonexistent/netns", error));
  EXPECT_NE(error.find("/nonexistent/netns"), std::string::npos);
}

TEST(NetworkNamespaceOpen, AFileThatIsNotANamespaceIsAnError) {
  std::string error;
  EXPECT_FALSE(NetworkNamespace::open("/etc/hostname", error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace wasi_socketd::policy
