// However a socket is left - in any state, mid-operation, denied, lingering - every kernel fd
// is closed once the sockets are dropped and their lingering work is done.
#include <dirent.h>
#include <gtest/gtest.h>

#include "raw_socket.h"
#include "sockets/udp_socket.h"
#include "tcp_test_support.h"

namespace wasi_socketd::sockets {
namespace {

using testing::loopback;
using testing::pattern;
using testing::RawSocket;
using testing::TcpTest;

int open_fds() {
  int count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  while (::readdir(dir) != nullptr) ++count;
  ::closedir(dir);
  return count;
}

class LifetimeTest : public TcpTest {};

TEST_P(LifetimeTest, NoFdOutlivesItsSockets) {
  make_socket();  // the io_context opens its reactor's fds (epoll, eventfd, timerfd) once
  const int before = open_fds();
  {
    std::vector<std::shared_ptr<TcpSocket>> tcp;
    tcp.push_back(make_socket());  // unbound
    tcp.push_back(make_bound());
    auto listener = make_listener();
    tcp.push_back(listener);

    auto connecting = make_socket();  // dropped mid-connect
    ASSERT_TRUE(connecting->start_connect(*listener->local_address()));
    tcp.push_back(connecting);

    auto refused = make_socket();  // failed connect
    const auto nobody = [&] {
      auto probe = make_bound();
      return *probe->local_address();
    }();
    ASSERT_TRUE(refused->start_connect(nobody));
    ASSERT_TRUE(io.run_until([&] { return refused->ready(); }));
    EXPECT_FALSE(refused->finish_connect());
    tcp.push_back(refused);

    auto pair = connected_pair();  // connected, with a read pending and unsent data
    pair.client->add_read_credit(1024);
    ASSERT_TRUE(pair.client->write(pattern(8 * 1024 * 1024)));
    tcp.push_back(pair.client);
    tcp.push_back(pair.server);

    auto lingering = connected_pair();  // drop that lingers on bytes that never come
    lingering.client->close_after(1 << 20, std::chrono::milliseconds(50));

    auto udp = *UdpSocket::create(io.strand(), family(), std::make_shared<AllowAllPolicy>());
    ASSERT_TRUE(udp->start_bind(loopback(family())));
    ASSERT_TRUE(udp->finish_bind());
    ASSERT_TRUE(udp->stream(*listener->local_address()));

    EXPECT_GT(open_fds(), before);
    tcp.clear();
    std::weak_ptr<TcpSocket> linger_done = lingering.client;
    lingering = {};
    ASSERT_TRUE(io.run_until([&] { return linger_done.expired(); }));
  }
  io.run_until([] { return false; }, std::chrono::milliseconds(20));
  EXPECT_EQ(open_fds(), before);
}

TEST_P(LifetimeTest, AHeldTokenLivesExactlyAsLongAsTheLingeringKernelSocket) {
  auto pair = connected_pair();
  // The peer reads nothing: 8 MiB cannot all reach the kernel, so the drop lingers.
  ASSERT_TRUE(pair.client->write(pattern(8 * 1024 * 1024)));
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> held = token;
  pair.client->hold_until_closed(std::move(token));
  pair.client->close_after(8 * 1024 * 1024, std::chrono::milliseconds(200));
  std::weak_ptr<TcpSocket> socket = pair.client;
  pair.client.reset();
  io.run_until([] { return false; }, std::chrono::milliseconds(50));
  EXPECT_FALSE(held.expired()) << "the quota came back while the socket still lingers";
  EXPECT_FALSE(socket.expired());
  ASSERT_TRUE(io.run_until([&] { return held.expired(); }));
  EXPECT_TRUE(socket.expired()) << "the token outlived its socket";
}

TEST_P(LifetimeTest, DeniedAcceptsLeaveNoFd) {
  auto policy = std::make_shared<testing::RecordingPolicy>();
  policy->denied = {{Use::accept, 0}};
  auto listener = make_listener(policy);
  const int before = open_fds();
  for (int i = 0; i < 5; ++i) {
    auto client = RawSocket::connect_to(*listener->local_address());
    ASSERT_TRUE(io.run_until([&] { return listener->ready(); }));
    WASI_SOCKETD_EXPECT_ERROR(listener->accept(), ErrorCode::would_block);
  }
  EXPECT_EQ(open_fds(), before);
}

INSTANTIATE_TEST_SUITE_P(BothFamilies, LifetimeTest, ::testing::Values(Family::ipv4, Family::ipv6),
                         testing::family_name);

}  // namespace
}  // namespace wasi_socketd::sockets
