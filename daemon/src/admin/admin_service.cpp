#include "admin/admin_service.h"

namespace wasi_socketd::daemon {
namespace {

constexpr std::size_t kMaxNameBytes = 4096;

grpc::ServerUnaryReactor* answer(grpc::CallbackServerContext* context,
                                 grpc::Status status = grpc::Status::OK) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(std::move(status));
  return reactor;
}

}  // namespace

AdminService::Reactor* AdminService::GetStatus(Context* context, const admin::v1::GetStatusRequest*,
                                               admin::v1::GetStatusResponse* response) {
  *response = backend_.status();
  return answer(context);
}

AdminService::Reactor* AdminService::ListSessions(Context* context,
                                                  const admin::v1::ListSessionsRequest*,
                                                  admin::v1::ListSessionsResponse* response) {
  *response = backend_.sessions();
  return answer(context);
}

AdminService::Reactor* AdminService::ListSockets(Context* context,
                                                 const admin::v1::ListSocketsRequest* request,
                                                 admin::v1::ListSocketsResponse* response) {
  if (request->tenant().size() > kMaxNameBytes) {
    return answer(context, {grpc::StatusCode::INVALID_ARGUMENT, "tenant name too long"});
  }
  *response = backend_.sockets(request->tenant());
  return answer(context);
}

AdminService::Reactor* AdminService::CheckPolicy(Context* context,
                                                 const admin::v1::CheckPolicyRequest* request,
                                                 admin::v1::CheckPolicyResponse* response) {
  if (request->text().size() > kMaxPolicyTextBytes) {
    return answer(context, {grpc::StatusCode::INVALID_ARGUMENT, "policy text larger than 1 MiB"});
  }
  if (request->source_name().size() > kMaxNameBytes) {
    return answer(context, {grpc::StatusCode::INVALID_ARGUMENT, "source name too long"});
  }
  const std::string name = request->source_name().empty() ? "policy" : request->source_name();
  *response = backend_.check_policy(name, request->text());
  return answer(context);
}

AdminService::Reactor* AdminService::ReloadPolicy(Context* context,
                                                  const admin::v1::ReloadPolicyRequest*,
                                                  admin::v1::ReloadPolicyResponse* response) {
  *response = backend_.reload_policy();
  return answer(context);
}

AdminService::Reactor* AdminService::GetMetrics(Context* context,
                                                const admin::v1::GetMetricsRequest*,
                                                admin::v1::GetMetricsResponse* response) {
  response->set_text(backend_.metrics_text());
  return answer(context);
}

}  // namespace wasi_socketd::daemon
