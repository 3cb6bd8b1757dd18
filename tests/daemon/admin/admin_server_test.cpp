#include "admin/admin_server.h"
#include "temp_directory.h"

#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <mutex>

#include "admin/admin_socket_path.h"
#include "wasi_socketd/admin/v1/admin.grpc.pb.h"

namespace wasi_socketd::daemon {
namespace {

namespace v1 = admin::v1;

// A daemon stand-in that answers from fixed values; the real backend is tested with the daemon.
class FixedBackend : public AdminBackend {
 public:
  v1::GetStatusResponse status() override {
    v1::GetStatusResponse status;
    status.set_version("9.9.9");
    status.set_sessions(2);
    return status;
  }
  v1::ListSessionsResponse sessions() override { return {}; }
  v1::ListSocketsResponse sockets(const std::string& tenant) override {
    std::lock_guard lock(mutex_);
    last_tenant_ = tenant;
    return {};
  }
  v1::CheckPolicyResponse check_policy(const std::string& name, const std::string&) override {
    v1::CheckPolicyResponse response;
    response.set_error(name);
    return response;
  }
  v1::ReloadPolicyResponse reload_policy() override { return {}; }
  std::string metrics_text() override { return "x_total 1\n"; }
  // Written on a gRPC thread of the server, read by the test after the call returned: the
  // response travels through gRPC, whose synchronisation ThreadSanitizer cannot see.
  std::string last_tenant() const {
    std::lock_guard lock(mutex_);
    return last_tenant_;
  }

 private:
  mutable std::mutex mutex_;
  std::string last_tenant_;
};

class AdminServerTest : public ::testing::Test {
 protected:
  void TearDown() override { server_.stop(); }
  std::unique_ptr<v1::Admin::Stub> stub() {
    return v1::Admin::NewStub(
        grpc::CreateChannel("unix:" + path_, grpc::InsecureChannelCredentials()));
  }
  static grpc::ClientContext* with_deadline(grpc::ClientContext& context) {
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    return &context;
  }

  FixedBackend backend_;
  AdminServer server_{backend_};
  testing::TempDirectory directory_{"admin-server-test"};
  std::string path_ = directory_.file("run/broker.admin.sock");
};

TEST_F(AdminServerTest, ServesTheBackendOnARootOnlySocket) {
  server_.start(path_);
  struct stat status {};
  ASSERT_EQ(::stat(path_.c_str(), &status), 0);
  EXPECT_TRUE(S_ISSOCK(status.st_mode));
  EXPECT_EQ(status.st_mode & 0777, 0600u);

  grpc::ClientContext context;
  v1::GetStatusResponse response;
  ASSERT_TRUE(stub()->GetStatus(with_deadline(context), {}, &response).ok());
  EXPECT_EQ(response.version(), "9.9.9");
  EXPECT_EQ(response.sessions(), 2u);
}

TEST_F(AdminServerTest, ForwardsTenantFilterAndMetrics) {
  server_.start(path_);
  auto admin = stub();
  grpc::ClientContext sockets_context;
  v1::ListSocketsRequest request;
  request.set_tenant("alpha");
  v1::ListSocketsResponse sockets;
  ASSERT_TRUE(admin->ListSockets(with_deadline(sockets_context), request, &sockets).ok());
  EXPECT_EQ(backend_.last_tenant(), "alpha");
  grpc::ClientContext metrics_context;
  v1::GetMetricsResponse metrics;
  ASSERT_TRUE(admin->GetMetrics(with_deadline(metrics_context), {}, &metrics).ok());
  EXPECT_EQ(metrics.text(), "x_total 1\n");
}

TEST_F(AdminServerTest, RejectsOversizedPolicyText) {
  server_.start(path_);
  grpc::ClientContext context;
  v1::CheckPolicyRequest request;
  request.set_text(std::string(kMaxPolicyTextBytes + 1, '#'));
  v1::CheckPolicyResponse response;
  EXPECT_EQ(stub()->CheckPolicy(with_deadline(context), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Connects to `path` without gRPC and reports what the server did first: true when it spoke
// (a gRPC server opens with its HTTP/2 SETTINGS frame), false when it closed the connection.
// Raw syscalls only, so it is safe in a child forked from this multi-threaded process.
bool server_speaks_first(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return false;
  pollfd readable{fd, POLLIN, 0};
  char byte = 0;
  const bool spoke = ::poll(&readable, 1, 3000) == 1 && ::recv(fd, &byte, 1, 0) == 1;
  ::close(fd);
  return spoke;
}

TEST_F(AdminServerTest, RefusesPeersThatAreNeitherRootNorTheDaemonUser) {
  server_.start(path_);
  ::chmod(path_.c_str(), 0666);  // even with the file opened up, the uid check holds
  ::chmod(directory_.file("run").c_str(), 0755);
  ASSERT_TRUE(server_speaks_first(path_)) << "root must be served";
  const pid_t child = ::fork();
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
    ::_exit(server_speaks_first(path_) ? 1 : 0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "an unprivileged peer was served (3: setuid failed)";
}

TEST_F(AdminServerTest, ReplacesAStaleSocketFileButNotALiveOne) {
  server_.start(path_);
  AdminServer second(backend_);
  EXPECT_THROW(second.start(path_), std::system_error);
  server_.stop();
  EXPECT_NE(::access(path_.c_str(), F_OK), 0) << "stop() removes the socket file";

  // A socket file left behind by a crash (nobody listening) is replaced.
  const int stale = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path_.c_str(), sizeof address.sun_path - 1);
  ASSERT_EQ(::bind(stale, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ::close(stale);
  server_.start(path_);
  grpc::ClientContext context;
  v1::GetStatusResponse response;
  EXPECT_TRUE(stub()->GetStatus(with_deadline(context), {}, &response).ok());
}

TEST(AdminSocketPathTest, LivesNextToTheBrokerSocket) {
  EXPECT_EQ(admin_socket_path_for("/run/wasi-socketd/wasi-socketd.sock"),
            "/run/wasi-socketd/wasi-socketd.admin.sock");
  EXPECT_EQ(admin_socket_path_for("/tmp/broker"), "/tmp/broker.admin.sock");
}

}  // namespace
}  // namespace wasi_socketd::daemon
