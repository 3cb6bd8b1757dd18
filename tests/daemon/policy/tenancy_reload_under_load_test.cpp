// Policy reloads while sessions decide: clients on several connections create TCP sockets (a
// policy decision on the daemon's io threads) while the admin socket reloads the policy in a
// loop and SIGHUP reloads it from an io thread too. Every decision sees one whole policy (the
// old or the new: allowed or access-denied, nothing else), every reload is accepted, and the
// daemon survives.
// Needs root (uid 0 matches the policy's tenant, which names no uids).
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "temp_directory.h"
#include "test_client.h"
#include "wasi_socketd/admin/v1/admin.grpc.pb.h"

namespace wasi_socketd::policy {
namespace {

using namespace std::chrono_literals;
using testing::DaemonProcess;
using testing::TestClient;
namespace v1 = wasi_socketd::v1;

constexpr const char* kTcpOn =
    "[[tenant]]\nname = \"t\"\n[tenant.tcp]\n[[tenant.tcp.bind]]\naddresses = [\"loopback\"]\n";
constexpr const char* kTcpOff = "[[tenant]]\nname = \"t\"\n[tenant.tcp]\nenabled = false\n";

TEST(TenancyReloadUnderLoad, SessionsKeepDecidingOnAWholePolicyWhileItIsReloadedInALoop) {
  if (::geteuid() != 0) GTEST_SKIP() << "uid 0 is the policy's tenant";
  testing::TempDirectory dir;
  const std::string policy = dir.write("p.toml", kTcpOn);
  DaemonProcess daemon({"--policy", policy, "--io-threads", "2"});
  const std::string admin_socket =
      daemon.socket_path().substr(0, daemon.socket_path().size() - 5) + ".admin.sock";

  std::atomic<bool> stop{false};
  std::mutex outcomes_mutex;
  std::map<v1::ErrorCode, int> outcomes;
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      std::map<v1::ErrorCode, int> seen;
      while (!stop) {
        TestClient client(daemon.target());  // a fresh session now and then: admission decides too
        for (int i = 0; i < 20 && !stop; ++i) {
          v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED;
          client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4, &error);
          ++seen[error];
        }
      }
      std::lock_guard lock(outcomes_mutex);
      for (const auto& [code, count] : seen) outcomes[code] += count;
    });
  }

  auto admin = admin::v1::Admin::NewStub(
      grpc::CreateChannel("unix:" + admin_socket, grpc::InsecureChannelCredentials()));
  constexpr int kReloads = 150;
  int accepted = 0;
  for (int i = 0; i < kReloads; ++i) {
    dir.write("p.toml", i % 2 == 0 ? kTcpOff : kTcpOn);
    if (i % 10 == 5) {
      ASSERT_EQ(::kill(daemon.pid(), SIGHUP), 0);  // an io thread reloads too
    }
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    admin::v1::ReloadPolicyResponse response;
    const grpc::Status status =
        admin->ReloadPolicy(&context, admin::v1::ReloadPolicyRequest(), &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(response.reloaded()) << response.error();
    accepted += response.reloaded() ? 1 : 0;
    std::this_thread::sleep_for(5ms);  // let decisions run between reloads
  }
  stop = true;
  for (auto& client : clients) client.join();

  EXPECT_EQ(::kill(daemon.pid(), 0), 0) << "the daemon died under reloads";
  EXPECT_EQ(accepted, kReloads);
  EXPECT_GT(outcomes[v1::ERROR_CODE_UNSPECIFIED], 0) << "no decision under the allowing policy";
  EXPECT_GT(outcomes[v1::ERROR_CODE_ACCESS_DENIED], 0) << "no decision under the denying policy";
  for (const auto& [code, count] : outcomes) {
    EXPECT_TRUE(code == v1::ERROR_CODE_UNSPECIFIED || code == v1::ERROR_CODE_ACCESS_DENIED)
        << count << " decisions ended in error code " << v1::ErrorCode_Name(code);
  }

  grpc::ClientContext context;
  admin::v1::GetStatusResponse status;
  ASSERT_TRUE(admin->GetStatus(&context, admin::v1::GetStatusRequest(), &status).ok());
  EXPECT_GE(status.policy().generation(), 1u + kReloads) << "SIGHUP and admin reloads both count";
  EXPECT_EQ(daemon.terminate(), 0) << "clean exit after the reloads";
}

}  // namespace
}  // namespace wasi_socketd::policy
