#include "test_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "wasi_socketd/limits.h"

namespace wasi_socketd::testing {

v1::IpSocketAddress loopback(v1::IpAddressFamily family, std::uint32_t port) {
  v1::IpSocketAddress address;
  address.mutable_address()->set_family(family);
  if (family == v1::IP_ADDRESS_FAMILY_IPV4) {
    address.mutable_address()->set_octets(std::string("\x7f\x00\x00\x01", 4));
  } else {
    std::string octets(16, '\0');
    octets[15] = 1;
    address.mutable_address()->set_octets(octets);
  }
  address.set_port(port);
  return address;
}

TestClient::TestClient(const std::string& target) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of our own
  arguments.SetMaxReceiveMessageSize(kMaxMessageBytes);
  arguments.SetMaxSendMessageSize(kMaxMessageBytes);
  channel_ = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments);
  network_ = v1::Network::NewStub(channel_);
  tcp_create_ = v1::TcpCreateSocket::NewStub(channel_);
  tcp_ = v1::Tcp::NewStub(channel_);
  udp_create_ = v1::UdpCreateSocket::NewStub(channel_);
  udp_ = v1::Udp::NewStub(channel_);
  lookup_ = v1::IpNameLookup::NewStub(channel_);
  session_ = v1::Session::NewStub(channel_);
}

TestClient::~TestClient() {
  if (attach_) {
    attach_context_->TryCancel();
    attach_status();
  }
}

void TestClient::report(const grpc::Status& result, grpc::Status* status) {
  if (status != nullptr) {
    *status = result;
  } else {
    EXPECT_TRUE(result.ok()) << result.error_message();
  }
}

std::uint64_t TestClient::network_id() {
  return call(network(), &v1::Network::Stub::InstanceNetwork, v1::InstanceNetworkRequest{})
      .network_id();
}

std::uint64_t TestClient::create_tcp(v1::IpAddressFamily family, v1::ErrorCode* error) {
  v1::CreateTcpSocketRequest request;
  request.set_family(family);
  auto response = call(tcp_create(), &v1::TcpCreateSocket::Stub::CreateTcpSocket, request);
  if (error != nullptr) {
    *error = response.error();
  }
  return response.socket_id();
}

std::uint64_t TestClient::create_udp(v1::IpAddressFamily family, v1::ErrorCode* error) {
  v1::CreateUdpSocketRequest request;
  request.set_family(family);
  auto response = call(udp_create(), &v1::UdpCreateSocket::Stub::CreateUdpSocket, request);
  if (error != nullptr) {
    *error = response.error();
  }
  return response.socket_id();
}

v1::ErrorCode TestClient::tcp_bind(std::uint64_t socket, const v1::IpSocketAddress& local) {
  v1::TcpStartBindRequest bind;
  bind.set_socket_id(socket);
  bind.set_network_id(network_id());
  *bind.mutable_local_address() = local;
  v1::ErrorCode error = call(tcp(), &v1::Tcp::Stub::StartBind, bind).error();
  if (error != v1::ERROR_CODE_UNSPECIFIED) {
    return error;
  }
  v1::TcpSocketRequest finish;
  finish.set_socket_id(socket);
  return call(tcp(), &v1::Tcp::Stub::FinishBind, finish).error();
}

std::uint64_t TestClient::tcp_listener(v1::IpAddressFamily family, std::uint32_t* port) {
  std::uint64_t socket = create_tcp(family);
  EXPECT_EQ(tcp_bind(socket, loopback(family)), v1::ERROR_CODE_UNSPECIFIED);
  v1::TcpSocketRequest request;
  request.set_socket_id(socket);
  EXPECT_EQ(call(tcp(), &v1::Tcp::Stub::StartListen, request).error(), v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_EQ(call(tcp(), &v1::Tcp::Stub::FinishListen, request).error(), v1::ERROR_CODE_UNSPECIFIED);
  *port = tcp_local_address(socket).port();
  return socket;
}

v1::IpSocketAddress TestClient::tcp_local_address(std::uint64_t socket) {
  v1::TcpSocketRequest request;
  request.set_socket_id(socket);
  return call(tcp(), &v1::Tcp::Stub::LocalAddress, request).address();
}

v1::ErrorCode TestClient::tcp_start_connect(std::uint64_t socket,
                                            const v1::IpSocketAddress& remote) {
  v1::TcpStartConnectRequest request;
  request.set_socket_id(socket);
  request.set_network_id(network_id());
  *request.mutable_remote_address() = remote;
  return call(tcp(), &v1::Tcp::Stub::StartConnect, request).error();
}

bool TestClient::tcp_start_connect_until_ready(std::uint64_t socket,
                                               const v1::IpSocketAddress& remote) {
  if (tcp_start_connect(socket, remote) != v1::ERROR_CODE_UNSPECIFIED) return false;
  return wait_for([&](const v1::ServerItem& item) {
           return item.has_readiness() && item.readiness().resource_id() == socket &&
                  item.readiness().kind() == v1::READINESS_KIND_CONNECT && item.readiness().ready();
         })
      .has_value();
}

v1::ResolveAddressesResponse TestClient::resolve(const std::string& name, grpc::Status* status) {
  v1::ResolveAddressesRequest request;
  request.set_network_id(network_id());
  request.set_name(name);
  return call(lookup(), &v1::IpNameLookup::Stub::ResolveAddresses, request, status);
}

v1::ErrorCode TestClient::tcp_connect_loopback(v1::IpAddressFamily family, std::uint32_t port) {
  return tcp_connect_polling(create_tcp(family), loopback(family, port));
}

v1::ErrorCode TestClient::tcp_connect_polling(std::uint64_t socket,
                                              const v1::IpSocketAddress& remote) {
  if (const v1::ErrorCode started = tcp_start_connect(socket, remote);
      started != v1::ERROR_CODE_UNSPECIFIED) {
    return started;
  }
  v1::TcpSocketRequest finish;
  finish.set_socket_id(socket);
  for (int attempt = 0; attempt < 500; ++attempt) {
    const v1::ErrorCode done = call(tcp(), &v1::Tcp::Stub::FinishConnect, finish).error();
    if (done != v1::ERROR_CODE_WOULD_BLOCK) return done;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return v1::ERROR_CODE_TIMEOUT;
}

bool TestClient::attach() {
  attach_context_ = std::make_unique<grpc::ClientContext>();
  attach_ = session_->Attach(attach_context_.get());
  reader_ = std::thread([this] { read_loop(); });
  auto first = wait_for([](const v1::ServerItem& item) { return item.has_opened(); });
  if (!first) {
    return false;
  }
  opened_ = first->opened();
  return true;
}

void TestClient::read_loop() {
  v1::ServerFrame frame;
  while (attach_->Read(&frame)) {
    std::lock_guard lock(mutex_);
    for (v1::ServerItem& item : *frame.mutable_items()) {
      items_.push_back(std::move(item));
    }
    arrived_.notify_all();
  }
  std::lock_guard lock(mutex_);
  stream_ended_ = true;
  arrived_.notify_all();
}

std::optional<v1::ServerItem> TestClient::wait_for(
    const std::function<bool(const v1::ServerItem&)>& match, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (auto it = items_.begin(); it != items_.end(); ++it) {
      if (match(*it)) {
        v1::ServerItem found = std::move(*it);
        items_.erase(it);
        return found;
      }
    }
    if (stream_ended_ || arrived_.wait_until(lock, deadline) == std::cv_status::timeout) {
      return std::nullopt;
    }
  }
}

void TestClient::send(const v1::ClientFrame& frame) { attach_->Write(frame); }

grpc::Status TestClient::attach_status() {
  if (!attach_status_) {
    if (reader_.joinable()) {
      reader_.join();
    }
    attach_status_ = attach_->Finish();
  }
  return *attach_status_;
}

grpc::Status TestClient::detach() {
  if (!writes_done_) {
    writes_done_ = true;
    attach_->WritesDone();
  }
  return attach_status();
}

}  // namespace wasi_socketd::testing
