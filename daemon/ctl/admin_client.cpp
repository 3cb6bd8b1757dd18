#include "admin_client.h"

#include <grpcpp/create_channel.h>

#include <chrono>

namespace wasi_socketd::daemon::ctl {

AdminClient::AdminClient(const std::string& socket_path, int timeout_seconds)
    : socket_path_(socket_path),
      timeout_seconds_(timeout_seconds),
      stub_(admin::v1::Admin::NewStub(
          grpc::CreateChannel("unix:" + socket_path, grpc::InsecureChannelCredentials()))) {}

template <class Request, class Response, class Method>
Response AdminClient::call(Method method, const Request& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(timeout_seconds_));
  Response response;
  const grpc::Status status = (stub_.get()->*method)(&context, request, &response);
  if (status.ok()) return response;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    throw CommandError{kExitUnreachable, "cannot reach wasi-socketd on " + socket_path_ + ": " +
                                             status.error_message() +
                                             " (is it running? are you root?)"};
  }
  throw CommandError{kExitFailed, status.error_message()};
}

admin::v1::GetStatusResponse AdminClient::status() {
  return call<admin::v1::GetStatusRequest, admin::v1::GetStatusResponse>(
      &admin::v1::Admin::Stub::GetStatus, {});
}

admin::v1::ListSessionsResponse AdminClient::sessions() {
  return call<admin::v1::ListSessionsRequest, admin::v1::ListSessionsResponse>(
      &admin::v1::Admin::Stub::ListSessions, {});
}

admin::v1::ListSocketsResponse AdminClient::sockets(const std::string& tenant) {
  admin::v1::ListSocketsRequest request;
  request.set_tenant(tenant);
  return call<admin::v1::ListSocketsRequest, admin::v1::ListSocketsResponse>(
      &admin::v1::Admin::Stub::ListSockets, request);
}

admin::v1::CheckPolicyResponse AdminClient::check_policy(const std::string& source_name,
                                                         const std::string& text) {
  admin::v1::CheckPolicyRequest request;
  request.set_source_name(source_name);
  request.set_text(text);
  return call<admin::v1::CheckPolicyRequest, admin::v1::CheckPolicyResponse>(
      &admin::v1::Admin::Stub::CheckPolicy, request);
}

admin::v1::ReloadPolicyResponse AdminClient::reload_policy() {
  return call<admin::v1::ReloadPolicyRequest, admin::v1::ReloadPolicyResponse>(
      &admin::v1::Admin::Stub::ReloadPolicy, {});
}

std::string AdminClient::metrics() {
  return call<admin::v1::GetMetricsRequest, admin::v1::GetMetricsResponse>(
             &admin::v1::Admin::Stub::GetMetrics, {})
      .text();
}

}  // namespace wasi_socketd::daemon::ctl
