#include "tcp_resource.h"

#include <algorithm>
#include <utility>

#include "admin/daemon_metrics.h"
#include "service/proto_convert.h"
#include "session.h"
#include "session_limits.h"
#include "tenant_checks.h"

namespace wasi_socketd::daemon {

TcpResource::TcpResource(Session& session, std::uint64_t id,
                         std::shared_ptr<sockets::TcpSocket> socket)
    : session_(session),
      id_(id),
      socket_(std::move(socket)),
      buffered_(buffer_charge(session.tenant())) {
  socket_->set_observer(this);
}

TcpResource::~TcpResource() { close(); }

v1::TcpStreamsGrant TcpResource::start_streams() {
  session_.strand().assert_on_sequence();
  if (!streams_started_) {
    streams_started_ = true;
    grant_credit();
  }
  v1::TcpStreamsGrant grant;
  grant.set_write_permit(kTcpWritePermit);
  grant.set_read_window(kTcpReadWindow);
  return grant;
}

void TcpResource::client_write(std::span<const std::byte> bytes) {
  session_.strand().assert_on_sequence();
  if (!streams_started_ || output_ended_) {
    return;  // nothing can be written here; the client was told (or never had a stream)
  }
  if (bytes_from_client_ - bytes_acked_ + bytes.size() > kTcpWritePermit) {
    end_output(sockets::ErrorCode::invalid_argument);  // the client broke its permit
    return;
  }
  sockets::Result<void> written = socket_->write(bytes);
  if (!written) {
    end_output(written.error());
    return;
  }
  bytes_from_client_ += bytes.size();
  update_buffered();
}

void TcpResource::client_credit(std::uint64_t bytes) {
  session_.strand().assert_on_sequence();
  if (!streams_started_) {
    return;
  }
  client_credit_ += std::min(bytes, kTcpReadWindow);  // more than a window was never sent
  grant_credit();
}

void TcpResource::data_sent(std::uint64_t n) {
  session_.strand().assert_on_sequence();
  bytes_sent_ += n;
  update_buffered();
  grant_credit();
}

void TcpResource::grant_credit() {
  if (!socket_ || !streams_started_) {
    return;
  }
  // Credit counts only bytes that left for the Attach stream: a client that credits bytes it
  // never received (or never reads the stream) cannot make the outbox grow.
  std::uint64_t target = std::min(client_credit_, bytes_sent_) + kTcpReadWindow;
  if (buffers_full(session_.tenant())) {
    target = std::min(target, bytes_read_ + kTcpReadWindowWhenFull);
  }
  if (target > credit_granted_) {
    socket_->add_read_credit(target - credit_granted_);
    credit_granted_ = target;
  }
}

void TcpResource::update_buffered() {
  buffered_.resize((bytes_from_client_ - std::min(bytes_from_client_, bytes_acked_)) +
                   (bytes_read_ - bytes_sent_));
  if (socket_ && credit_granted_ > bytes_read_ + kTcpReadWindowWhenFull &&
      buffers_full(session_.tenant())) {
    socket_->cap_read_credit(kTcpReadWindowWhenFull);
    credit_granted_ = bytes_read_ + kTcpReadWindowWhenFull;
  }
}

void TcpResource::drop(std::uint64_t write_offset) {
  session_.strand().assert_on_sequence();
  if (socket_) {
    socket_->set_observer(nullptr);
    auto socket = std::exchange(socket_, nullptr);
    // Only bytes that arrived can be written: a larger offset would only make the socket linger.
    socket->hold_until_closed(
        std::make_shared<std::pair<std::shared_ptr<void>, std::shared_ptr<void>>>(
            release_quota(), session_.resources().linger_slot()));
    socket->close_after(std::min(write_offset, bytes_from_client_));
  }
}

void drop_tcp(Session& session, TcpResource& tcp, std::uint64_t write_offset) {
  tcp.drop(write_offset);
  session.remove(tcp.id());
}

void TcpResource::close() {
  session_.strand().assert_on_sequence();
  if (socket_) {
    socket_->set_observer(nullptr);
    std::exchange(socket_, nullptr)->close();
  }
}

void TcpResource::connect_finished() {
  session_.strand().assert_on_sequence();
  session_.set_readiness(id_, v1::READINESS_KIND_CONNECT, true);
}

void TcpResource::accept_readiness(bool ready) {
  session_.strand().assert_on_sequence();
  session_.set_readiness(id_, v1::READINESS_KIND_ACCEPT, ready);
}

ResourceSummary TcpResource::summary() const {
  session_.strand().assert_on_sequence();
  return summarize("tcp", *socket_);
}

void TcpResource::data_received(std::span<const std::byte> bytes) {
  session_.strand().assert_on_sequence();
  if (session_.tenant().metrics) {
    session_.tenant().metrics->tcp_bytes(bytes.size(), 0);
  }
  bytes_read_ += bytes.size();
  v1::ServerItem item;
  v1::TcpData* data = item.mutable_tcp_data();
  data->set_socket_id(id_);
  data->set_data(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  session_.push(std::move(item));
  update_buffered();
}

void TcpResource::input_ended(std::optional<sockets::ErrorCode> error) {
  session_.strand().assert_on_sequence();
  v1::ServerItem item;
  v1::StreamEnd* end = item.mutable_stream_end();
  end->set_socket_id(id_);
  end->set_direction(v1::STREAM_DIRECTION_INPUT);
  end->set_error(error ? to_proto(*error) : v1::ERROR_CODE_UNSPECIFIED);
  session_.push(std::move(item));
}

void TcpResource::bytes_written(std::size_t n) {
  session_.strand().assert_on_sequence();
  bytes_acked_ += n;
  update_buffered();
  if (session_.tenant().metrics) {
    session_.tenant().metrics->tcp_bytes(0, n);
  }
  v1::ServerItem item;
  v1::TcpWriteAck* ack = item.mutable_write_ack();
  ack->set_socket_id(id_);
  ack->set_bytes(n);
  session_.push(std::move(item));
}

void TcpResource::output_failed(sockets::ErrorCode error) {
  session_.strand().assert_on_sequence();
  end_output(error);
}

void TcpResource::end_output(sockets::ErrorCode error) {
  if (output_ended_) {
    return;
  }
  output_ended_ = true;
  bytes_acked_ = bytes_from_client_;  // nothing more of it is held for the client
  update_buffered();
  v1::ServerItem item;
  v1::StreamEnd* end = item.mutable_stream_end();
  end->set_socket_id(id_);
  end->set_direction(v1::STREAM_DIRECTION_OUTPUT);
  end->set_error(to_proto(error));
  session_.push(std::move(item));
}

}  // namespace wasi_socketd::daemon
