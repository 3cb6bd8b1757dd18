// The Admin gRPC service: validates requests and forwards them to the daemon's AdminBackend.
//
// Served only by AdminServer (root-only socket). Synchronous gRPC API: admin calls are rare and
// short, and run on gRPC's own threads, never on the broker's event loop.
#pragma once

#include "admin/admin_backend.h"
#include "wasi_socketd/admin/v1/admin.grpc.pb.h"

namespace wasi_socketd::daemon {

// Largest policy text CheckPolicy accepts.
inline constexpr std::size_t kMaxPolicyTextBytes = 1 << 20;

class AdminService final : public admin::v1::Admin::Service {
 public:
  // `backend` must outlive the service.
  explicit AdminService(AdminBackend& backend) : backend_(backend) {}

  grpc::Status GetStatus(grpc::ServerContext*, const admin::v1::GetStatusRequest*,
                         admin::v1::GetStatusResponse* response) override;
  grpc::Status ListSessions(grpc::ServerContext*, const admin::v1::ListSessionsRequest*,
                            admin::v1::ListSessionsResponse* response) override;
  grpc::Status ListSockets(grpc::ServerContext*, const admin::v1::ListSocketsRequest* request,
                           admin::v1::ListSocketsResponse* response) override;
  grpc::Status CheckPolicy(grpc::ServerContext*, const admin::v1::CheckPolicyRequest* request,
                           admin::v1::CheckPolicyResponse* response) override;
  grpc::Status ReloadPolicy(grpc::ServerContext*, const admin::v1::ReloadPolicyRequest*,
                            admin::v1::ReloadPolicyResponse* response) override;
  grpc::Status GetMetrics(grpc::ServerContext*, const admin::v1::GetMetricsRequest*,
                          admin::v1::GetMetricsResponse* response) override;

 private:
  AdminBackend& backend_;
};

}  // namespace wasi_socketd::daemon
