// A TCP socket in a session's table: the core socket plus its end of the Attach stream's flow
// control (write permit, read window) and its events turned into server items.
// Buffered bytes (written by the client, not yet taken by the kernel; read ahead, not yet sent on
// the Attach stream) are charged to the tenant as they come and go: an idle connection costs
// nothing but its socket lease. While the tenant is at its buffered-bytes quota, the connection
// reads at most kTcpReadWindowWhenFull ahead.
//
// Threading: the owning Session's strand only. The Session owns this object and outlives it;
// the core socket reports to it through TcpObserver until close() or drop() detaches it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "session_resource.h"
#include "sockets/tcp_socket.h"
#include "wasi_socketd/v1/tcp.pb.h"

namespace wasi_socketd::daemon {

class Session;

class TcpResource final : public SessionResource, public sockets::TcpObserver {
 public:
  TcpResource(Session& session, std::uint64_t id, std::shared_ptr<sockets::TcpSocket> socket);
  ~TcpResource() override;
  TcpResource(const TcpResource&) = delete;
  TcpResource& operator=(const TcpResource&) = delete;

  sockets::TcpSocket& socket() { return *socket_; }
  std::uint64_t id() const { return id_; }

  // The socket is connected (finish-connect succeeded or it was accepted): read-ahead starts
  // with a full window. Returns what the client may send and will receive before credit.
  v1::TcpStreamsGrant start_streams();

  // From the Attach stream. Bytes beyond the write permit cost the client its output stream;
  // credit beyond the read window is clamped, so daemon memory per socket stays bounded.
  void client_write(std::span<const std::byte> bytes);
  void client_credit(std::uint64_t bytes);
  // `n` read-ahead bytes of this socket left the session's outbox for the Attach stream. Only
  // such bytes can have been consumed, so credit is measured against them: a client that credits
  // bytes it never received (or never reads the stream) cannot make the outbox grow.
  void data_sent(std::uint64_t n);

  // The resource is dropped: bytes up to `write_offset`, clamped to the bytes received from the
  // client, are still written (by the core, bounded by its linger time), and nothing of this
  // socket reaches the session any more. The socket keeps this resource's quota (tenant lease
  // and a slot of the session's) until its kernel socket is closed.
  void drop(std::uint64_t write_offset);
  // Abortive close (the session ends).
  void close() override;
  ResourceSummary summary() const override;

  // sockets::TcpObserver
  void connect_finished() override;
  void accept_readiness(bool ready) override;
  void data_received(std::span<const std::byte> bytes) override;
  void input_ended(std::optional<sockets::ErrorCode> error) override;
  void bytes_written(std::size_t n) override;
  void output_failed(sockets::ErrorCode error) override;

 private:
  void end_output(sockets::ErrorCode error);
  // Charges what is buffered now; a tenant at quota gets its read-ahead cut.
  void update_buffered();
  // Hands the core the read credit the client and the window allow.
  void grant_credit();

  Session& session_;
  const std::uint64_t id_;
  std::shared_ptr<sockets::TcpSocket> socket_;
  bool streams_started_ = false;
  bool output_ended_ = false;
  std::uint64_t bytes_from_client_ = 0;  // accepted TcpWrite bytes
  std::uint64_t bytes_acked_ = 0;        // of those, reached the kernel
  std::uint64_t bytes_read_ = 0;         // read-ahead bytes the core delivered
  std::uint64_t bytes_sent_ = 0;         // of those, handed to the Attach stream
  std::uint64_t client_credit_ = 0;      // ReadCredit bytes from the client in total
  std::uint64_t credit_granted_ = 0;     // read credit handed to the core in total
  policy::TenantUsage::Lease buffered_;  // the tenant's charge for the bytes buffered now
};

// Tcp.Drop and the Attach stream's TcpDrop: drop the resource and forget its id.
void drop_tcp(Session& session, TcpResource& tcp, std::uint64_t write_offset);

}  // namespace wasi_socketd::daemon
