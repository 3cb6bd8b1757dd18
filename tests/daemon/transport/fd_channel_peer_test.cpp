// The fact the whole connection -> session binding rests on: in this gRPC (1.51), calls arriving
// on a channel added with AddInsecureChannelFromFd(server, N) report ServerContext::peer() ==
// "fd:N", which connection_number() reads back as N. (The registry then checks that fd N is still
// the session's own socket, session_registry.h.)
#include <grpcpp/grpcpp.h>
#include <grpcpp/server_posix.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <sys/un.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "session/session_registry.h"
#include "temp_directory.h"
#include "wasi_socketd/v1/network.grpc.pb.h"

namespace wasi_socketd::daemon {
namespace {

class PeerRecorder final : public v1::Network::CallbackService {
 public:
  grpc::ServerUnaryReactor* InstanceNetwork(grpc::CallbackServerContext* context,
                                            const v1::InstanceNetworkRequest*,
                                            v1::InstanceNetworkResponse*) override {
    {
      std::lock_guard lock(mutex_);
      peers_.push_back(context->peer());
    }
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  std::vector<std::string> peers() {
    std::lock_guard lock(mutex_);
    return peers_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> peers_;
};

// The daemon's own path: accept on a Unix listener, hand the fd to gRPC, call over "unix:".
TEST(FdChannelPeer, PeerOfAnFdChannelNamesItsFdNumber) {
  PeerRecorder recorder;
  grpc::ServerBuilder builder;
  builder.RegisterService(&recorder);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_TRUE(server);

  const testing::TempDirectory directory("peer-test");
  const std::string path = directory.file("s.sock");
  const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 8), 0);

  for (int i = 0; i < 3; ++i) {
    std::atomic<int> accepted{-1};
    std::thread acceptor([&] {
      const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      accepted = fd;
      grpc::AddInsecureChannelFromFd(server.get(), fd);
    });
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto stub = v1::Network::NewStub(
        grpc::CreateCustomChannel("unix:" + path, grpc::InsecureChannelCredentials(), arguments));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    context.set_wait_for_ready(true);
    v1::InstanceNetworkResponse response;
    grpc::Status status = stub->InstanceNetwork(&context, {}, &response);
    acceptor.join();
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(connection_number(recorder.peers().back()), accepted.load());
  }
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  ::close(listener);
}

}  // namespace
}  // namespace wasi_socketd::daemon
