// Client processes killed with -9 under load: the daemon must survive, close every socket of the
// dead sessions (the peers see their connections end, the daemon's fd count returns to where it
// was) and serve a new session.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "client_load.h"
#include "daemon_process.h"
#include "loopback_peer.h"
#include "process_stats.h"

namespace wasi_socketd::testing {
namespace {

constexpr int kClients = 6;
constexpr int kPendingPerListener = 3;
constexpr std::size_t kMidTransfer = 16 << 20;  // each bulk connection got at least this much
constexpr auto kEndTimeout = std::chrono::seconds(5);

// A kernel UDP socket on 127.0.0.1 that the clients send to (never read: the kernel drops).
struct UdpPeer {
  UdpPeer() {
    fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), length);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
  }
  ~UdpPeer() { ::close(fd); }
  int fd = -1;
  std::uint16_t port = 0;
};

// One client process and what the test process holds of it.
struct Child {
  pid_t pid = -1;
  int report_fd = -1;        // read end of its pipe
  int bulk_fd = -1;          // the peer's end of its bulk connection
  std::vector<int> pending;  // connections to its listener, never accepted
  std::atomic<std::size_t> received{0};
  std::atomic<bool> ended{false};  // the peer saw the bulk connection end
  std::thread drain;
};

void drain_bulk(Child& child) {
  char buffer[64 << 10];
  for (;;) {
    const ssize_t n = ::recv(child.bulk_fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      child.ended = true;
      return;
    }
    child.received += static_cast<std::size_t>(n);
  }
}

TEST(KilledClients, DaemonSurvivesAndFreesEverySocketOfClientsKilledMidTransfer) {
  DaemonProcess daemon;
  LoopbackPeer tcp_peer;
  UdpPeer udp_peer;
  const int fds_before = daemon.stable_fd_count();
  const LoadTargets targets{daemon.socket_path(), tcp_peer.port(), udp_peer.port};

  // Fork every client before this process uses gRPC or starts threads.
  std::vector<Child> children(kClients);
  for (Child& child : children) {
    int pipe_fds[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    child.pid = ::fork();
    ASSERT_GE(child.pid, 0);
    if (child.pid == 0) {
      ::close(pipe_fds[0]);
      run_load_client(targets, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    child.report_fd = pipe_fds[0];
  }
  for (Child& child : children) {
    std::uint16_t listen_port = 0;
    ASSERT_EQ(::read(child.report_fd, &listen_port, sizeof listen_port), sizeof listen_port)
        << "a client process failed to set up its sockets";
    ::close(child.report_fd);
    for (int i = 0; i < kPendingPerListener; ++i) {
      const int fd = connect_loopback(listen_port);
      ASSERT_GE(fd, 0);
      child.pending.push_back(fd);
    }
  }
  // The bulk connections arrive in any order; which child's is which does not matter.
  for (Child& child : children) {
    child.bulk_fd = tcp_peer.accept_one(std::chrono::seconds(5));
    ASSERT_GE(child.bulk_fd, 0);
    child.drain = std::thread([&child] { drain_bulk(child); });
  }
  const auto load_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (Child& child : children) {
    while (child.received < kMidTransfer && std::chrono::steady_clock::now() < load_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_GE(child.received.load(), kMidTransfer) << "no bulk load before the kill";
  }
  char datagram[2048];
  EXPECT_GT(::recv(udp_peer.fd, datagram, sizeof datagram, MSG_DONTWAIT), 0)
      << "no UDP traffic before the kill";
  // Per client: its connection, listener, bulk socket and UDP socket (pending connections wait
  // in the kernel's backlog, not in the daemon).
  const int fds_loaded = daemon.open_fd_count();
  RecordProperty("daemon_fds_before", fds_before);
  RecordProperty("daemon_fds_under_load", fds_loaded);
  EXPECT_GE(fds_loaded, fds_before + kClients * 4);

  for (Child& child : children) {
    ::kill(child.pid, SIGKILL);
  }
  for (Child& child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child.pid, &status, 0), child.pid);
    EXPECT_TRUE(WIFSIGNALED(status)) << "a client process exited by itself: " << status;
  }

  // The daemon noticed every dead connection and closed the sockets behind it.
  const auto end_deadline = std::chrono::steady_clock::now() + kEndTimeout;
  for (Child& child : children) {
    while (!child.ended && std::chrono::steady_clock::now() < end_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(child.ended) << "a bulk connection outlived its killed client";
    for (int fd : child.pending) {
      EXPECT_TRUE(drain_until_end(fd, kEndTimeout)) << "a pending connection was not reset";
      ::close(fd);
    }
    if (child.ended) {
      child.drain.join();
    } else {
      ::shutdown(child.bulk_fd, SHUT_RDWR);
      child.drain.join();
    }
  }
  EXPECT_EQ(::waitpid(daemon.pid(), nullptr, WNOHANG), 0) << "the daemon died";
  EXPECT_LE(settle_fd_count(daemon.pid(), static_cast<std::size_t>(fds_before)),
            static_cast<std::size_t>(fds_before))
      << daemon.open_fd_listing();

  // And it still serves: a new session can connect through it.
  {
    std::string error;
    auto session = client::Session::open({daemon.socket_path()}, &error);
    ASSERT_NE(session, nullptr) << error;
    auto socket = connect_through(session, tcp_peer.port());
    EXPECT_TRUE(socket.has_value()) << "a new session could not connect";
    EXPECT_GE(tcp_peer.accept_one(std::chrono::seconds(5)), 0);
    socket.reset();
    session->close();
  }
  EXPECT_LE(settle_fd_count(daemon.pid(), static_cast<std::size_t>(fds_before)),
            static_cast<std::size_t>(fds_before))
      << daemon.open_fd_listing();
}

}  // namespace
}  // namespace wasi_socketd::testing
