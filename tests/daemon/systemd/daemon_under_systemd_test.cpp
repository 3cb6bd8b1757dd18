// The real daemon under an emulated service manager: readiness, watchdog, socket activation,
// reload and stop, as systemd would see them.
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "daemon_process.h"
#include "wasi_socketd/v1/network.grpc.pb.h"
#include "wasi_socketd/v1/session.grpc.pb.h"
#include "wasi_socketd/v1/tcp.grpc.pb.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono_literals;

bool file_exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// One client connection with its Attach stream open, as a runtime adapter keeps it.
class AttachedClient {
 public:
  explicit AttachedClient(const std::string& target)
      : channel_(grpc::CreateChannel(target, grpc::InsecureChannelCredentials())),
        stream_(v1::Session::NewStub(channel_)->Attach(&context_)) {}
  ~AttachedClient() {
    context_.TryCancel();
    v1::ServerFrame ignored;
    while (stream_->Read(&ignored)) {
    }
    (void)stream_->Finish();
  }
  // The first frame (SessionOpened); false if the daemon did not open a session.
  bool opened() {
    v1::ServerFrame frame;
    return stream_->Read(&frame) && frame.items_size() > 0 && frame.items(0).has_opened();
  }
  // Reads until the daemon ends the stream; false if it is still open after `timeout`.
  bool ended_within(std::chrono::milliseconds timeout) {
    auto done = std::async(std::launch::async, [this] {
      v1::ServerFrame frame;
      while (stream_->Read(&frame)) {
      }
    });
    return done.wait_for(timeout) == std::future_status::ready;
  }
  std::uint64_t create_tcp_socket() {
    grpc::ClientContext context;
    v1::CreateTcpSocketRequest request;
    request.set_family(v1::IP_ADDRESS_FAMILY_IPV4);
    v1::CreateTcpSocketResponse response;
    auto status =
        v1::TcpCreateSocket::NewStub(channel_)->CreateTcpSocket(&context, request, &response);
    return status.ok() ? response.socket_id() : 0;
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::ClientFrame, v1::ServerFrame>> stream_;
};

TEST(DaemonUnderSystemdTest, ReportsReadyWithStatusOnceTheSocketAccepts) {
  DaemonProcess daemon(DaemonOptions{.supervised = true});
  const auto ready = daemon.manager().wait_for("READY=1", 10s);
  ASSERT_TRUE(ready) << "no READY=1 within 10 s";
  EXPECT_NE(ready->find("STATUS="), std::string::npos);
  EXPECT_NE(ready->find(daemon.listen_path()), std::string::npos) << *ready;
  // READY means ready: both sockets exist and a session opens right away.
  EXPECT_TRUE(file_exists(daemon.admin_socket_path()));
  AttachedClient client(daemon.target());
  EXPECT_TRUE(client.opened());
}

TEST(DaemonUnderSystemdTest, ServesTheInheritedSocketInsteadOfBinding) {
  DaemonProcess daemon(DaemonOptions{.supervised = true, .socket_activated = true});
  ASSERT_TRUE(daemon.manager().wait_for("READY=1", 10s));
  EXPECT_FALSE(file_exists(daemon.listen_path())) << "--listen must be ignored when activated";
  {
    AttachedClient client(daemon.target());
    EXPECT_TRUE(client.opened());
  }
  daemon.signal(SIGTERM);
  const auto status = daemon.wait_for_exit(10s);
  ASSERT_TRUE(status);
  EXPECT_TRUE(file_exists(daemon.socket_path())) << "the socket unit owns the socket file";
}

TEST(DaemonUnderSystemdTest, PingsTheWatchdogAtHalfItsInterval) {
  DaemonProcess daemon(DaemonOptions{.supervised = true, .watchdog = 400ms});
  ASSERT_TRUE(daemon.manager().wait_for("READY=1", 10s));
  ASSERT_TRUE(daemon.manager().wait_for("WATCHDOG=1", 1s));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(daemon.manager().wait_for("WATCHDOG=1", 1s));
  ASSERT_TRUE(daemon.manager().wait_for("WATCHDOG=1", 1s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 400ms + 200ms);
}

TEST(DaemonUnderSystemdTest, SighupReloadsBetweenReloadingAndReady) {
  DaemonProcess daemon(DaemonOptions{.supervised = true});
  ASSERT_TRUE(daemon.manager().wait_for("READY=1", 10s));
  daemon.signal(SIGHUP);
  const auto reloading = daemon.manager().wait_for("RELOADING=1", 5s);
  ASSERT_TRUE(reloading);
  EXPECT_NE(reloading->find("MONOTONIC_USEC="), std::string::npos);
  ASSERT_TRUE(daemon.manager().wait_for("READY=1", 5s));
  // Still serving.
  AttachedClient client(daemon.target());
  EXPECT_TRUE(client.opened());
}

TEST(DaemonUnderSystemdTest, SigtermDrainsSessionsAndExitsCleanlyWithinTheBound) {
  DaemonProcess daemon(DaemonOptions{.supervised = true});
  ASSERT_TRUE(daemon.manager().wait_for("READY=1", 10s));
  AttachedClient client(daemon.target());
  ASSERT_TRUE(client.opened());
  ASSERT_NE(client.create_tcp_socket(), 0u);

  const auto start = std::chrono::steady_clock::now();
  daemon.signal(SIGTERM);
  ASSERT_TRUE(daemon.manager().wait_for("STOPPING=1", 5s));
  EXPECT_TRUE(client.ended_within(5s)) << "the session's Attach stream was not ended";
  const auto status = daemon.wait_for_exit(10s);
  ASSERT_TRUE(status) << "still running 10 s after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_FALSE(file_exists(daemon.listen_path()));
  EXPECT_FALSE(file_exists(daemon.admin_socket_path()));
}

}  // namespace
}  // namespace wasi_socketd::testing
