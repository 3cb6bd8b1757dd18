#include "admin/admin_service.h"

namespace wasi_socketd::daemon {
namespace {

constexpr std::size_t kMaxNameBytes = 4096;

}  // namespace

grpc::Status AdminService::GetStatus(grpc::ServerContext*, const admin::v1::GetStatusRequest*,
                                     admin::v1::GetStatusResponse* response) {
  *response = backend_.status();
  return grpc::Status::OK;
}

grpc::Status AdminService::ListSessions(grpc::ServerContext*, const admin::v1::ListSessionsRequest*,
                                        admin::v1::ListSessionsResponse* response) {
  *response = backend_.sessions();
  return grpc::Status::OK;
}

grpc::Status AdminService::ListSockets(grpc::ServerContext*,
                                       const admin::v1::ListSocketsRequest* request,
                                       admin::v1::ListSocketsResponse* response) {
  if (request->tenant().size() > kMaxNameBytes) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "tenant name too long"};
  }
  *response = backend_.sockets(request->tenant());
  return grpc::Status::OK;
}

grpc::Status AdminService::CheckPolicy(grpc::ServerContext*,
                                       const admin::v1::CheckPolicyRequest* request,
                                       admin::v1::CheckPolicyResponse* response) {
  if (request->text().size() > kMaxPolicyTextBytes) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "policy text larger than 1 MiB"};
  }
  if (request->source_name().size() > kMaxNameBytes) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "source name too long"};
  }
  const std::string name = request->source_name().empty() ? "policy" : request->source_name();
  *response = backend_.check_policy(name, request->text());
  return grpc::Status::OK;
}

grpc::Status AdminService::ReloadPolicy(grpc::ServerContext*, const admin::v1::ReloadPolicyRequest*,
                                        admin::v1::ReloadPolicyResponse* response) {
  *response = backend_.reload_policy();
  return grpc::Status::OK;
}

grpc::Status AdminService::GetMetrics(grpc::ServerContext*, const admin::v1::GetMetricsRequest*,
                                      admin::v1::GetMetricsResponse* response) {
  response->set_text(backend_.metrics_text());
  return grpc::Status::OK;
}

}  // namespace wasi_socketd::daemon
