// Test fixture: one client connection (= one daemon session) over the raw generated stubs.
//
// Each TestClient opens its own connection (no subchannel sharing). attach() starts
// Session.Attach with a reader thread that collects every ServerItem; wait_for() blocks until an
// item matching a predicate arrives. Use from one test thread (the reader thread is internal).
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "wasi_socketd/v1/ip_name_lookup.grpc.pb.h"
#include "wasi_socketd/v1/network.grpc.pb.h"
#include "wasi_socketd/v1/session.grpc.pb.h"
#include "wasi_socketd/v1/tcp.grpc.pb.h"
#include "wasi_socketd/v1/udp.grpc.pb.h"

namespace wasi_socketd::testing {

namespace v1 = wasi_socketd::v1;

// 127.0.0.1 or ::1 with `port`.
v1::IpSocketAddress loopback(v1::IpAddressFamily family, std::uint32_t port = 0);

class TestClient {
 public:
  explicit TestClient(const std::string& target);
  ~TestClient();

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  v1::Network::Stub& network() { return *network_; }
  v1::TcpCreateSocket::Stub& tcp_create() { return *tcp_create_; }
  v1::Tcp::Stub& tcp() { return *tcp_; }
  v1::UdpCreateSocket::Stub& udp_create() { return *udp_create_; }
  v1::Udp::Stub& udp() { return *udp_; }
  v1::IpNameLookup::Stub& lookup() { return *lookup_; }

  // One unary call with a deadline; the gRPC status goes to `status` (an unexpected non-OK
  // status fails the test when `status` is null).
  template <class Stub, class Request, class Response>
  Response call(Stub& stub,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                const Request& request, grpc::Status* status = nullptr) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    Response response;
    grpc::Status result = (stub.*method)(&context, request, &response);
    report(result, status);
    return response;
  }

  // Shorthands for the calls most tests make.
  std::uint64_t network_id();
  // create-tcp-socket; returns the id or 0 (error in `error`).
  std::uint64_t create_tcp(v1::IpAddressFamily family, v1::ErrorCode* error = nullptr);
  std::uint64_t create_udp(v1::IpAddressFamily family, v1::ErrorCode* error = nullptr);
  v1::ErrorCode tcp_bind(std::uint64_t socket, const v1::IpSocketAddress& local);
  // A bound, listening loopback TCP socket; its port in `port`.
  std::uint64_t tcp_listener(v1::IpAddressFamily family, std::uint32_t* port);
  v1::IpSocketAddress tcp_local_address(std::uint64_t socket);
  // start-connect to `remote`: its error (UNSPECIFIED: started).
  v1::ErrorCode tcp_start_connect(std::uint64_t socket, const v1::IpSocketAddress& remote);
  // start-connect to `remote`, then waits for the socket's CONNECT readiness on the Attach
  // stream (needs attach()). False when either does not happen; finish-connect is the caller's.
  bool tcp_start_connect_until_ready(std::uint64_t socket, const v1::IpSocketAddress& remote);
  // start-connect to `remote`, then finish-connect polled every 10 ms while it would block (no
  // attach() needed): the error of the whole connect (UNSPECIFIED: connected; TIMEOUT after 5 s).
  v1::ErrorCode tcp_connect_polling(std::uint64_t socket, const v1::IpSocketAddress& remote);
  // A fresh TCP socket of `family` connected (polling, as above) to the loopback `port`: the
  // error of the whole connect (UNSPECIFIED: connected).
  v1::ErrorCode tcp_connect_loopback(v1::IpAddressFamily family, std::uint32_t port);

  // resolve-addresses of `name` (sent as is: any bytes, for hostile names) on this session's
  // network; `status` receives the RPC status when given.
  v1::ResolveAddressesResponse resolve(const std::string& name, grpc::Status* status = nullptr);

  // Session.Attach: starts the stream and waits for SessionOpened. False if the daemon refused.
  bool attach();
  grpc::Status attach_status();  // after the daemon ended the stream
  void send(const v1::ClientFrame& frame);
  // Half-closes the stream and waits for its status (ends the session).
  grpc::Status detach();
  // The first not yet consumed item matching `match`, waiting up to `timeout`; it is consumed.
  std::optional<v1::ServerItem> wait_for(
      const std::function<bool(const v1::ServerItem&)>& match,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  const v1::SessionOpened& opened() const { return opened_; }

 private:
  void report(const grpc::Status& result, grpc::Status* status);
  void read_loop();

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Network::Stub> network_;
  std::unique_ptr<v1::TcpCreateSocket::Stub> tcp_create_;
  std::unique_ptr<v1::Tcp::Stub> tcp_;
  std::unique_ptr<v1::UdpCreateSocket::Stub> udp_create_;
  std::unique_ptr<v1::Udp::Stub> udp_;
  std::unique_ptr<v1::IpNameLookup::Stub> lookup_;
  std::unique_ptr<v1::Session::Stub> session_;

  std::unique_ptr<grpc::ClientContext> attach_context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::ClientFrame, v1::ServerFrame>> attach_;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<v1::ServerItem> items_;
  bool stream_ended_ = false;
  bool writes_done_ = false;
  std::optional<grpc::Status> attach_status_;
  v1::SessionOpened opened_;
};

}  // namespace wasi_socketd::testing
