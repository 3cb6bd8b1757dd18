#include "grpc_echo.h"

#include <grpcpp/grpcpp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "bench_report.h"
#include "echo.grpc.pb.h"

namespace wasi_socketd::bench {
namespace {

class EchoService final : public Echo::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context, const EchoMessage* request,
                                 EchoMessage* response) override {
    response->set_value(request->value());
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

[[noreturn]] void serve(const std::string& socket_path) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  EchoService service;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + socket_path, grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  server->Wait();
  std::_Exit(0);
}

}  // namespace

pid_t start_echo_server(const std::string& socket_path) {
  pid_t pid = ::fork();
  if (pid == 0) serve(socket_path);
  return pid;
}

double echo_calls_per_second(const std::string& socket_path, int calls) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto channel =
      grpc::CreateCustomChannel("unix:" + socket_path, grpc::InsecureChannelCredentials(), args);
  channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stub = Echo::NewStub(channel);
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(calls));
  for (int i = -calls / 10; i < calls; ++i) {
    grpc::ClientContext context;
    EchoMessage request, response;
    request.set_value(static_cast<std::uint64_t>(i));
    auto start = Clock::now();
    if (!stub->Echo(&context, request, &response).ok()) throw std::runtime_error("echo failed");
    if (i >= 0) samples.push_back(seconds_since(start));
  }
  return 1.0 / median(samples);
}

}  // namespace wasi_socketd::bench
