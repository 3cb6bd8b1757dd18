// Issue 8 item 6: the socket quota bypassed through linger. A tenant with `sockets = 16` loops
// create → connect → Drop(write_offset = 2^64-1): the lease must last until the kernel socket is
// closed, and the offset must be clamped to the bytes that really arrived (a Drop must not make
// the daemon wait for bytes that will never come). Real daemon, real loopback sockets, raw stubs
// (the client library never sends such an offset).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "loopback_listener.h"
#include "temp_directory.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kSocketQuota = 16;

// The test's own uid is the tenant: no uid switch is needed to show the bypass.
std::string policy_text() {
  return "[[tenant]]\nname = \"lessee\"\nuids = [" + std::to_string(::getuid()) +
         "]\n[tenant.quotas]\nsockets = " + std::to_string(kSocketQuota) +
         "\n[tenant.tcp]\n[[tenant.tcp.bind]]\naddresses = [\"127.0.0.1\", \"0.0.0.0\"]\n"
         "[[tenant.tcp.connect]]\naddresses = [\"127.0.0.1\"]\n";
}

int accept_from(const LoopbackListener& listener) {
  const int fd = ::accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC);
  EXPECT_GE(fd, 0) << "the daemon's connection never arrived";
  return fd;
}

class LingerLeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"--policy", dir_.write("policy.toml", policy_text())});
    client_ = std::make_unique<TestClient>(daemon_->target());
    client_->network_id();  // the session's own fds are part of the baseline
    std::this_thread::sleep_for(100ms);
    baseline_fds_ = daemon_->stable_fd_count();
  }

  // A connected socket of the tenant, or 0 when create-tcp-socket was refused (in `error`).
  std::uint64_t connected_socket(const LoopbackListener& peer, v1::ErrorCode* error) {
    const std::uint64_t id = client_->create_tcp(v1::IP_ADDRESS_FAMILY_IPV4, error);
    if (id == 0) return 0;
    EXPECT_EQ(client_->tcp_connect_polling(id, loopback(v1::IP_ADDRESS_FAMILY_IPV4, peer.port())),
              v1::ERROR_CODE_UNSPECIFIED);
    return id;
  }

  void drop(std::uint64_t id, std::uint64_t write_offset) {
    v1::TcpDropRequest request;
    request.set_socket_id(id);
    request.set_write_offset(write_offset);
    client_->call(client_->tcp(), &v1::Tcp::Stub::Drop, request);
  }

  // Daemon fds above the start, waiting up to `timeout` for them to fall to at most `at_most`.
  int extra_fds_after(std::chrono::milliseconds timeout, int at_most) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int extra = daemon_->open_fd_count() - baseline_fds_;
    while (extra > at_most && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
      extra = daemon_->open_fd_count() - baseline_fds_;
    }
    return extra;
  }

  testing::TempDirectory dir_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<TestClient> client_;
  int baseline_fds_ = 0;
};

TEST_F(LingerLeaseTest, DropWithAnOffsetBeyondTheBytesReceivedClosesAtOnce) {
  LoopbackListener peer(128);
  std::vector<int> accepted;
  int most_fds = 0;
  for (int round = 0; round < 3 * kSocketQuota; ++round) {
    v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED;
    std::uint64_t id = connected_socket(peer, &error);
    // A dropped socket closes on the daemon's strand just after the Drop answered.
    for (int retry = 0; id == 0 && error == v1::ERROR_CODE_NEW_SOCKET_LIMIT && retry < 50;
         ++retry) {
      std::this_thread::sleep_for(10ms);
      id = connected_socket(peer, &error);
    }
    ASSERT_NE(id, 0u) << "round " << round << ": a socket whose peer is gone still holds a lease";
    accepted.push_back(accept_from(peer));
    drop(id, std::numeric_limits<std::uint64_t>::max());
    most_fds = std::max(most_fds, daemon_->open_fd_count() - baseline_fds_);
  }
  // Nothing was written, so nothing can be waited for: no socket lingers.
  EXPECT_LE(most_fds, kSocketQuota) << "dropped sockets held daemon fds beyond the socket quota";
  EXPECT_LE(extra_fds_after(2s, 0), 0) << "dropped sockets still open 2 s later";
  for (int fd : accepted) ::close(fd);
}

TEST_F(LingerLeaseTest, ALingeringSocketKeepsItsQuotaUntilItsKernelSocketCloses) {
  LoopbackListener peer(128);
  const int tiny = 4096;  // the peer reads nothing and takes little: writes stay queued
  ::setsockopt(peer.fd(), SOL_SOCKET, SO_RCVBUF, &tiny, sizeof tiny);
  ASSERT_TRUE(client_->attach());
  std::vector<int> accepted;
  const std::string chunk(256 * 1024, 'x');
  for (int i = 0; i < kSocketQuota; ++i) {
    v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED;
    const std::uint64_t id = connected_socket(peer, &error);
    ASSERT_NE(id, 0u) << "socket " << i << ": " << v1::ErrorCode_Name(error);
    v1::TcpSetOptionRequest option;
    option.set_socket_id(id);
    option.set_option(v1::TCP_OPTION_SEND_BUFFER_SIZE);
    option.set_value(tiny);
    client_->call(client_->tcp(), &v1::Tcp::Stub::SetOption, option);
    accepted.push_back(accept_from(peer));
    v1::ClientFrame frame;
    for (int part = 0; part < 4; ++part) {  // 1 MiB: the whole write permit
      auto* write = frame.add_items()->mutable_tcp_write();
      write->set_socket_id(id);
      write->set_data(chunk);
    }
    client_->send(frame);
    // Every byte arrived once the daemon acknowledged some and the rest sits in its queue; the
    // drop covers them all, so the socket lingers (the peer never reads).
    ASSERT_TRUE(client_->wait_for([id](const v1::ServerItem& item) {
      return item.has_write_ack() && item.write_ack().socket_id() == id;
    }));
    drop(id, 4 * chunk.size());
  }
  v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED;
  EXPECT_EQ(client_->create_tcp(v1::IP_ADDRESS_FAMILY_IPV4, &error), 0u)
      << "16 lingering sockets and a 17th was granted";
  EXPECT_EQ(error, v1::ERROR_CODE_NEW_SOCKET_LIMIT);

  // The peer goes away: the lingering writes fail, the kernel sockets close, the leases return.
  for (int fd : accepted) ::close(fd);
  std::uint64_t again = 0;
  for (int retry = 0; again == 0 && retry < 250; ++retry) {
    std::this_thread::sleep_for(20ms);
    again = client_->create_tcp(v1::IP_ADDRESS_FAMILY_IPV4, &error);
  }
  EXPECT_NE(again, 0u) << "the quota did not come back once the lingering sockets closed";
  EXPECT_LE(extra_fds_after(5s, 1), 1);
}

}  // namespace
}  // namespace wasi_socketd::testing
