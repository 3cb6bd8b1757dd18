// The listening socket: directory creation, file mode, stale sockets, and the accept loop handing
// over connections with the kernel's peer credentials.
#include "transport/unix_listener.h"
#include "temp_directory.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

namespace wasi_socketd::daemon {
namespace {

namespace fs = std::filesystem;

AcceptVerdict close_it(int fd, const PeerCredentials&) {
  ::close(fd);
  return AcceptVerdict::kept;
}

class UnixListenerTest : public ::testing::Test {
 protected:
  static int connect_to(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    EXPECT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    return fd;
  }

  testing::TempDirectory temp_{"listener-test"};
  fs::path directory_ = temp_.path();
  boost::asio::io_context io_;
};

TEST_F(UnixListenerTest, CreatesTheDirectoryAndSetsTheMode) {
  const std::string path = (directory_ / "nested" / "dir" / "broker.sock").string();
  UnixListener listener(UnixListener::open(io_, path, 0600), close_it);
  struct stat status {};
  ASSERT_EQ(::stat(path.c_str(), &status), 0);
  EXPECT_TRUE(S_ISSOCK(status.st_mode));
  EXPECT_EQ(status.st_mode & 07777, 0600u);
}

TEST_F(UnixListenerTest, DirectoriesItCreatesCanBeSearchedWhateverTheUmask) {
  const std::string path = (directory_ / "run" / "broker" / "broker.sock").string();
  ASSERT_EQ(::chmod(directory_.c_str(), 0711), 0);
  const mode_t old_umask = ::umask(077);
  UnixListener listener(UnixListener::open(io_, path, 0660), close_it);
  ::umask(old_umask);
  for (const auto& directory : {directory_ / "run", directory_ / "run" / "broker"}) {
    struct stat status {};
    ASSERT_EQ(::stat(directory.c_str(), &status), 0) << directory;
    EXPECT_EQ(status.st_mode & 07777, 0755u) << directory;
  }
  struct stat existing {};
  ASSERT_EQ(::stat(directory_.c_str(), &existing), 0);
  EXPECT_EQ(existing.st_mode & 07777, 0711u) << "an existing directory keeps its mode";
}

TEST_F(UnixListenerTest, ReplacesAStaleSocketButNotAnOrdinaryFile) {
  const std::string path = (directory_ / "broker.sock").string();
  { UnixListener::open(io_, path, 0660); }  // leaves the socket file behind
  EXPECT_NO_THROW(UnixListener::open(io_, path, 0660));

  const std::string file = (directory_ / "not-a-socket").string();
  std::ofstream(file) << "keep me";
  EXPECT_THROW(UnixListener::open(io_, file, 0660), std::system_error);
  EXPECT_TRUE(fs::is_regular_file(file));
}

TEST_F(UnixListenerTest, HandsOverConnectionsWithPeerCredentials) {
  const std::string path = (directory_ / "broker.sock").string();
  int accepted_fd = -1;
  PeerCredentials peer;
  UnixListener listener(UnixListener::open(io_, path, 0660),
                        [&](int fd, const PeerCredentials& credentials) {
                          accepted_fd = fd;
                          peer = credentials;
                          io_.stop();
                          return AcceptVerdict::kept;
                        });
  listener.start();
  const int client = connect_to(path);
  io_.run_for(std::chrono::seconds(5));
  ASSERT_GE(accepted_fd, 0);
  EXPECT_EQ(peer.uid, ::getuid());
  EXPECT_EQ(peer.gid, ::getgid());
  EXPECT_EQ(peer.pid, ::getpid());
  ::close(accepted_fd);
  ::close(client);
}

TEST_F(UnixListenerTest, RemovesTheSocketFileWhenDestroyed) {
  const std::string path = (directory_ / "broker.sock").string();
  {
    UnixListener listener(UnixListener::open(io_, path, 0660), close_it);
    EXPECT_TRUE(fs::exists(path));
  }
  EXPECT_FALSE(fs::exists(path));
}

// A second daemon started on a path a live one listens on must fail, not take the path over.
TEST_F(UnixListenerTest, RefusesAPathALiveListenerOwns) {
  const std::string path = (directory_ / "broker.sock").string();
  UnixListener first(UnixListener::open(io_, path, 0660), close_it);
  struct stat before {};
  ASSERT_EQ(::lstat(path.c_str(), &before), 0);
  try {
    UnixListener::open(io_, path, 0660);
    FAIL() << "a live socket was replaced";
  } catch (const std::system_error& error) {
    EXPECT_EQ(error.code().value(), EADDRINUSE) << error.what();
  }
  struct stat after {};
  ASSERT_EQ(::lstat(path.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);
  ::close(connect_to(path));  // the first listener still owns it
}

// A uid connecting in a loop: past its burst and rate the listener closes the connections itself
// instead of handing them over (where policy and gRPC work would follow).
TEST_F(UnixListenerTest, ConnectionsBeyondAUidsRateAreNotHandedOver) {
  constexpr int kConnects = 3000;
  const std::string path = (directory_ / "broker.sock").string();
  std::atomic<int> handed_over{0};
  UnixListener listener(UnixListener::open(io_, path, 0666), [&](int fd, const PeerCredentials&) {
    ++handed_over;
    ::close(fd);
    return AcceptVerdict::kept;
  });
  listener.start();
  auto work = boost::asio::make_work_guard(io_);
  std::thread io([this] { io_.run(); });
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kConnects; ++i) ::close(connect_to(path));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the last ones are accepted
  boost::asio::post(io_, [&] { listener.stop(); });
  work.reset();
  io.join();
  const double allowed =
      UnixListener::kConnectBurstPerUid + UnixListener::kConnectRatePerUid * (seconds + 0.2) + 1;
  EXPECT_LE(handed_over.load(), allowed) << kConnects << " connects in " << seconds << " s";
  EXPECT_GE(handed_over.load(), static_cast<int>(UnixListener::kConnectBurstPerUid));
}

// On exit a listener removes only its own socket file, not one a later daemon bound there.
TEST_F(UnixListenerTest, LeavesASocketFileThatIsNotItsOwn) {
  const std::string path = (directory_ / "broker.sock").string();
  auto first = std::make_unique<UnixListener>(UnixListener::open(io_, path, 0660), close_it);
  fs::remove(path);  // an operator removed it and started another daemon there
  UnixListener second(UnixListener::open(io_, path, 0660), close_it);
  first.reset();
  EXPECT_TRUE(fs::exists(path));
  ::close(connect_to(path));
}

}  // namespace
}  // namespace wasi_socketd::daemon
