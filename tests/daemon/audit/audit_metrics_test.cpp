// The daemon exports what the audit writer's full queue dropped (the count itself is tested in
// audit_writer_test.cpp): a metric read through the admin socket of the real daemon.
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "daemon_process.h"
#include "wasi_socketd/admin/v1/admin.grpc.pb.h"

namespace wasi_socketd::audit {
namespace {

TEST(AuditMetrics, TheAuditQueueDropCountIsExported) {
  testing::DaemonProcess daemon;
  const std::string admin_socket =
      daemon.socket_path().substr(0, daemon.socket_path().size() - 5) + ".admin.sock";
  auto admin = admin::v1::Admin::NewStub(
      grpc::CreateChannel("unix:" + admin_socket, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  // The main socket listens before the daemon has started its admin socket (configure, then
  // start): wait for the admin socket instead of failing on a daemon still starting.
  context.set_wait_for_ready(true);
  admin::v1::GetMetricsResponse metrics;
  const grpc::Status status = admin->GetMetrics(&context, admin::v1::GetMetricsRequest(), &metrics);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NE(metrics.text().find("\nwasi_socketd_audit_lines_dropped 0\n"), std::string::npos)
      << metrics.text();
}

}  // namespace
}  // namespace wasi_socketd::audit
