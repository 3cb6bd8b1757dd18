#include "wasi_socketd/client/session.h"

#include <sys/stat.h>

#include "call_queue.h"
#include "frame_writer.h"
#include "wasi_socketd/default_socket_path.h"
#include "wasi_socketd/limits.h"

namespace wasi_socketd::client {

std::shared_ptr<Session> Session::open(const SessionOptions& options, std::string* error) {
  SessionOptions resolved = options;
  if (resolved.socket_path.empty()) {
    resolved.socket_path = default_socket_path();
    if (auto doubt = untrusted_default_socket_reason()) {
      *error = "wasi-socketd: not using the broker socket at " + resolved.socket_path + ": " +
               *doubt + " (name the socket explicitly if you trust it)";
      return nullptr;
    }
  }
  struct stat st {};
  if (::stat(resolved.socket_path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) {
    *error = "wasi-socketd: no broker socket at " + resolved.socket_path;
    return nullptr;
  }

  std::shared_ptr<Session> session(new Session(resolved));
  const auto deadline = std::chrono::steady_clock::now() + resolved.open_timeout;
  const bool settled =
      session->wait_until([](const Mirror& m) { return m.opened().has_value(); }, deadline);
  std::lock_guard lock(session->mu_);
  if (session->mirror_.opened()) {
    session->opened_ = *session->mirror_.opened();
    return session;
  }
  *error = settled ? "wasi-socketd: broker at " + resolved.socket_path +
                         " closed the session: " + session->mirror_.death_reason()
                   : "wasi-socketd: timed out waiting for the broker at " + resolved.socket_path +
                         " to open the session";
  return nullptr;  // ~Session cancels Attach and joins the reader
}

Session::Session(const SessionOptions& options) : options_(options) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // our own connection: a session
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, kStreamWindowBytes);
  channel_ = grpc::CreateCustomChannel("unix:" + options_.socket_path,
                                       grpc::InsecureChannelCredentials(), args);
  network_ = v1::Network::NewStub(channel_);
  tcp_create_ = v1::TcpCreateSocket::NewStub(channel_);
  tcp_ = v1::Tcp::NewStub(channel_);
  udp_create_ = v1::UdpCreateSocket::NewStub(channel_);
  udp_ = v1::Udp::NewStub(channel_);
  name_lookup_ = v1::IpNameLookup::NewStub(channel_);
  sockets_ext_ = v1::SocketsExt::NewStub(channel_);
  session_ = v1::Session::NewStub(channel_);
  attach_ = session_->Attach(&attach_context_);
  writer_ = std::make_unique<FrameWriter>(
      [this](const v1::ClientFrame& frame) { return attach_->Write(frame); },
      [this] { die("wasi-socketd: connection to broker lost"); });
  pipelined_ = std::make_unique<CallQueue>();
  reader_ = std::thread([this] { read_loop(); });
}

Session::~Session() { close(); }

void Session::close() {
  pipelined_->stop();  // runs what is pipelined (frames among it) while the writer still runs
  writer_->stop();     // what was sent before close() goes out first
  attach_context_.TryCancel();
  if (reader_.joinable()) reader_.join();
  die("wasi-socketd: session closed");
}

void Session::read_loop() {
  v1::ServerFrame frame;
  while (attach_->Read(&frame)) {
    {
      std::lock_guard lock(mu_);
      for (const auto& item : frame.items()) mirror_.apply(item);
    }
    changed_.notify_all();
  }
  const grpc::Status status = attach_->Finish();
  die(status.ok() ? "the broker ended the session" : status.error_message());
}

void Session::die(std::string reason) {
  {
    std::lock_guard lock(mu_);
    mirror_.mark_dead(std::move(reason));
  }
  changed_.notify_all();
}

bool Session::alive() const {
  std::lock_guard lock(mu_);
  return !mirror_.dead();
}

std::string Session::death_reason() const {
  std::lock_guard lock(mu_);
  return mirror_.death_reason();
}

bool Session::wait_until(const std::function<bool(const Mirror&)>& pred, Deadline deadline) {
  std::unique_lock lock(mu_);
  auto done = [&] { return mirror_.dead() || pred(mirror_); };
  if (deadline == kNoDeadline) {
    changed_.wait(lock, done);
    return true;
  }
  return changed_.wait_until(lock, deadline, done);
}

bool Session::pipeline(std::function<void()> call) {
  return alive() && pipelined_->queue(std::move(call));
}

bool Session::send(v1::ClientFrame frame) {
  if (!alive()) return false;
  // Behind pipelined setters still unanswered: a write the peer reacts to comes after them.
  auto shared = std::make_shared<v1::ClientFrame>(std::move(frame));
  if (pipelined_->queue_if_busy([this, shared] { writer_->send(std::move(*shared)); })) {
    return true;
  }
  return writer_->send(std::move(*shared));
}

void Session::await_pipelined() { pipelined_->wait_idle(); }

ErrorCode Session::on_call_failure(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      die("wasi-socketd: connection to broker lost (" + status.error_message() + ")");
      return ErrorCode::kSessionLost;
    default:
      return alive() ? ErrorCode::kUnknown : ErrorCode::kSessionLost;
  }
}

}  // namespace wasi_socketd::client
