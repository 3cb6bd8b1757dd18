// The Admin gRPC service: validates requests and forwards them to the daemon's AdminBackend.
//
// Served only by AdminServer (root-only socket). Callback gRPC API: each call runs on one of
// gRPC's threads and is answered before the handler returns. Not the synchronous API, because a
// synchronous server keeps threads polling the process-wide gRPC poller: they would pick up the
// broker's own connections and push every broker call through one more thread hand-off.
// Admin calls are rare and short (a session snapshot waits at most 500 ms for a busy strand);
// the backend never waits for a gRPC thread, so blocking one for that long cannot deadlock.
#pragma once

#include "admin/admin_backend.h"
#include "wasi_socketd/admin/v1/admin.grpc.pb.h"

namespace wasi_socketd::daemon {

// Largest policy text CheckPolicy accepts.
inline constexpr std::size_t kMaxPolicyTextBytes = 1 << 20;

class AdminService final : public admin::v1::Admin::CallbackService {
 public:
  using Context = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  // `backend` must outlive the service.
  explicit AdminService(AdminBackend& backend) : backend_(backend) {}

  Reactor* GetStatus(Context* context, const admin::v1::GetStatusRequest*,
                     admin::v1::GetStatusResponse* response) override;
  Reactor* ListSessions(Context* context, const admin::v1::ListSessionsRequest*,
                        admin::v1::ListSessionsResponse* response) override;
  Reactor* ListSockets(Context* context, const admin::v1::ListSocketsRequest* request,
                       admin::v1::ListSocketsResponse* response) override;
  Reactor* CheckPolicy(Context* context, const admin::v1::CheckPolicyRequest* request,
                       admin::v1::CheckPolicyResponse* response) override;
  Reactor* ReloadPolicy(Context* context, const admin::v1::ReloadPolicyRequest*,
                        admin::v1::ReloadPolicyResponse* response) override;
  Reactor* GetMetrics(Context* context, const admin::v1::GetMetricsRequest*,
                      admin::v1::GetMetricsResponse* response) override;

 private:
  AdminBackend& backend_;
};

}  // namespace wasi_socketd::daemon
