// The actions of RpcFuzzer: one random call of a kind, with random and boundary arguments.
#include <gtest/gtest.h>

#include "rpc_fuzzer.h"
#include "wasi_socketd/limits.h"

namespace wasi_socketd::testing {

namespace {

v1::TcpSocketRequest tcp_request(std::uint64_t id) {
  v1::TcpSocketRequest request;
  request.set_socket_id(id);
  return request;
}

}  // namespace

void RpcFuzzer::create_socket() {
  grpc::Status status;
  const Pick none{0, Source::kOwn};
  if (random_() % 2) {
    v1::CreateTcpSocketRequest request;
    request.set_family(pick_family());
    auto response = client_->call(client_->tcp_create(),
                                  &v1::TcpCreateSocket::Stub::CreateTcpSocket, request, &status);
    check(status, response.error(), none, "CreateTcpSocket");
    EXPECT_EQ(response.error() == v1::ERROR_CODE_UNSPECIFIED, response.socket_id() != 0);
    remember(response.socket_id());
  } else {
    v1::CreateUdpSocketRequest request;
    request.set_family(pick_family());
    auto response = client_->call(client_->udp_create(),
                                  &v1::UdpCreateSocket::Stub::CreateUdpSocket, request, &status);
    check(status, response.error(), none, "CreateUdpSocket");
    EXPECT_EQ(response.error() == v1::ERROR_CODE_UNSPECIFIED, response.socket_id() != 0);
    remember(response.socket_id());
  }
}

void RpcFuzzer::tcp_connect_or_bind() {
  grpc::Status status;
  const Pick pick = pick_id();
  switch (random_() % 5) {
    case 0: {
      v1::TcpStartBindRequest request;
      request.set_socket_id(pick.id);
      request.set_network_id(pick_network());
      *request.mutable_local_address() = pick_address();
      auto response = client_->call(client_->tcp(), &v1::Tcp::Stub::StartBind, request, &status);
      return check(status, response.error(), pick, "Tcp.StartBind");
    }
    case 1: {
      v1::TcpStartConnectRequest request;
      request.set_socket_id(pick.id);
      request.set_network_id(pick_network());
      *request.mutable_remote_address() = pick_address();
      auto response = client_->call(client_->tcp(), &v1::Tcp::Stub::StartConnect, request, &status);
      return check(status, response.error(), pick, "Tcp.StartConnect");
    }
    case 2: {
      auto response =
          client_->call(client_->tcp(), &v1::Tcp::Stub::FinishBind, tcp_request(pick.id), &status);
      return check(status, response.error(), pick, "Tcp.FinishBind");
    }
    case 3: {
      auto response = client_->call(client_->tcp(), &v1::Tcp::Stub::FinishConnect,
                                    tcp_request(pick.id), &status);
      return check(status, response.error(), pick, "Tcp.FinishConnect");
    }
    default: {
      auto started =
          client_->call(client_->tcp(), &v1::Tcp::Stub::StartListen, tcp_request(pick.id), &status);
      check(status, started.error(), pick, "Tcp.StartListen");
      auto finished = client_->call(client_->tcp(), &v1::Tcp::Stub::FinishListen,
                                    tcp_request(pick.id), &status);
      check(status, finished.error(), pick, "Tcp.FinishListen");
      if (finished.error() == v1::ERROR_CODE_UNSPECIFIED && pick.source == Source::kOwn) {
        auto local = client_->call(client_->tcp(), &v1::Tcp::Stub::LocalAddress,
                                   tcp_request(pick.id), &status);
        check(status, local.error(), pick, "Tcp.LocalAddress");
        listening_ports_.push_back(local.address().port());
      }
      return;
    }
  }
}

void RpcFuzzer::tcp_call() {
  grpc::Status status;
  const Pick pick = pick_id();
  const v1::TcpSocketRequest request = tcp_request(pick.id);
  switch (random_() % 6) {
    case 0: {
      auto response = client_->call(client_->tcp(), &v1::Tcp::Stub::Accept, request, &status);
      check(status, response.error(), pick, "Tcp.Accept");
      EXPECT_EQ(response.error() == v1::ERROR_CODE_UNSPECIFIED, response.socket_id() != 0);
      return remember(response.socket_id());
    }
    case 1: {
      auto response = client_->call(client_->tcp(), &v1::Tcp::Stub::LocalAddress, request, &status);
      return check(status, response.error(), pick, "Tcp.LocalAddress");
    }
    case 2: {
      auto response =
          client_->call(client_->tcp(), &v1::Tcp::Stub::RemoteAddress, request, &status);
      return check(status, response.error(), pick, "Tcp.RemoteAddress");
    }
    case 3: {
      auto response = client_->call(client_->tcp(), &v1::Tcp::Stub::IsListening, request, &status);
      return check(status, response.error(), pick, "Tcp.IsListening");
    }
    case 4: {
      auto response =
          client_->call(client_->tcp(), &v1::Tcp::Stub::AddressFamily, request, &status);
      return check(status, response.error(), pick, "Tcp.AddressFamily");
    }
    default: {
      v1::TcpDropRequest drop;
      drop.set_socket_id(pick.id);
      drop.set_write_offset(pick_size());
      auto response = client_->call(client_->tcp(), &v1::Tcp::Stub::Drop, drop, &status);
      return check(status, response.error(), pick, "Tcp.Drop");
    }
  }
}

void RpcFuzzer::tcp_option_or_shutdown() {
  grpc::Status status;
  const Pick pick = pick_id();
  const auto option = static_cast<v1::TcpOption>(static_cast<int>(random_() % 11) - 1);
  switch (random_() % 3) {
    case 0: {
      v1::TcpGetOptionRequest request;
      request.set_socket_id(pick.id);
      request.set_option(option);
      auto response = client_->call(client_->tcp(), &v1::Tcp::Stub::GetOption, request, &status);
      return check(status, response.error(), pick, "Tcp.GetOption");
    }
    case 1: {
      v1::TcpSetOptionRequest request;
      request.set_socket_id(pick.id);
      request.set_option(option);
      request.set_value(pick_size());
      auto response = client_->call(client_->tcp(), &v1::Tcp::Stub::SetOption, request, &status);
      return check(status, response.error(), pick, "Tcp.SetOption");
    }
    default: {
      v1::TcpShutdownRequest request;
      request.set_socket_id(pick.id);
      request.set_how(static_cast<v1::ShutdownType>(static_cast<int>(random_() % 6) - 1));
      request.set_write_offset(pick_size());
      auto response = client_->call(client_->tcp(), &v1::Tcp::Stub::Shutdown, request, &status);
      return check(status, response.error(), pick, "Tcp.Shutdown");
    }
  }
}

void RpcFuzzer::udp_call() {
  grpc::Status status;
  const Pick pick = pick_id();
  v1::UdpSocketRequest request;
  request.set_socket_id(pick.id);
  switch (random_() % 7) {
    case 0: {
      v1::UdpStartBindRequest bind;
      bind.set_socket_id(pick.id);
      bind.set_network_id(pick_network());
      *bind.mutable_local_address() = pick_address();
      auto response = client_->call(client_->udp(), &v1::Udp::Stub::StartBind, bind, &status);
      check(status, response.error(), pick, "Udp.StartBind");
      auto finished = client_->call(client_->udp(), &v1::Udp::Stub::FinishBind, request, &status);
      return check(status, finished.error(), pick, "Udp.FinishBind");
    }
    case 1: {
      v1::UdpStreamRequest stream;
      stream.set_socket_id(pick.id);
      if (random_() % 4 != 0) {
        *stream.mutable_remote_address() = pick_address();
      }
      auto response = client_->call(client_->udp(), &v1::Udp::Stub::Stream, stream, &status);
      return check(status, response.error(), pick, "Udp.Stream");
    }
    case 2: {
      v1::UdpReceiveRequest receive;
      receive.set_socket_id(pick.id);
      receive.set_stream_generation(random_() % 4);
      receive.set_max_results(pick_size());
      auto response = client_->call(client_->udp(), &v1::Udp::Stub::Receive, receive, &status);
      check(status, response.error(), pick, "Udp.Receive");
      EXPECT_LE(static_cast<std::uint64_t>(response.datagrams_size()), kMaxDatagramsPerCall);
      return;
    }
    case 3: {
      v1::UdpSetOptionRequest set;
      set.set_socket_id(pick.id);
      set.set_option(static_cast<v1::UdpOption>(static_cast<int>(random_() % 6) - 1));
      set.set_value(pick_size());
      auto response = client_->call(client_->udp(), &v1::Udp::Stub::SetOption, set, &status);
      return check(status, response.error(), pick, "Udp.SetOption");
    }
    case 4: {
      v1::UdpGetOptionRequest get;
      get.set_socket_id(pick.id);
      get.set_option(static_cast<v1::UdpOption>(static_cast<int>(random_() % 6) - 1));
      auto response = client_->call(client_->udp(), &v1::Udp::Stub::GetOption, get, &status);
      return check(status, response.error(), pick, "Udp.GetOption");
    }
    case 5: {
      auto local = client_->call(client_->udp(), &v1::Udp::Stub::LocalAddress, request, &status);
      check(status, local.error(), pick, "Udp.LocalAddress");
      auto remote = client_->call(client_->udp(), &v1::Udp::Stub::RemoteAddress, request, &status);
      check(status, remote.error(), pick, "Udp.RemoteAddress");
      auto family = client_->call(client_->udp(), &v1::Udp::Stub::AddressFamily, request, &status);
      return check(status, family.error(), pick, "Udp.AddressFamily");
    }
    default: {
      auto response = client_->call(client_->udp(), &v1::Udp::Stub::Drop, request, &status);
      return check(status, response.error(), pick, "Udp.Drop");
    }
  }
}

void RpcFuzzer::udp_send() {
  grpc::Status status;
  const Pick pick = pick_id();
  v1::UdpSendRequest request;
  request.set_socket_id(pick.id);
  request.set_stream_generation(random_() % 4);
  // Mostly small batches; sometimes past the per-call count or the datagram size limit.
  const std::size_t count = random_() % 4 == 0 ? 1000 + random_() % 100 : random_() % 8;
  for (std::size_t i = 0; i < count; ++i) {
    v1::OutgoingDatagram* datagram = request.add_datagrams();
    datagram->set_data(std::string(random_() % 16 == 0 ? 65530 + random_() % 12 : random_() % 64,
                                   static_cast<char>(i)));
    if (random_() % 2) {
      *datagram->mutable_remote_address() = pick_address();
    }
  }
  auto response = client_->call(client_->udp(), &v1::Udp::Stub::Send, request, &status);
  check(status, response.error(), pick, "Udp.Send");
  EXPECT_LE(response.sent(), static_cast<std::uint64_t>(count));
}

void RpcFuzzer::network_or_lookup() {
  grpc::Status status;
  if (random_() % 3 == 0) {
    const Pick pick = pick_id();
    v1::DropNetworkRequest request;
    request.set_network_id(pick.id);
    auto response =
        client_->call(client_->network(), &v1::Network::Stub::DropNetwork, request, &status);
    return check(status, response.error(), pick, "Network.DropNetwork");
  }
  static const std::string kNames[] = {"localhost",
                                       "127.0.0.1",
                                       "[::1]",
                                       "::1",
                                       "",
                                       "[",
                                       "]::1[",
                                       std::string(256, 'a'),
                                       std::string(255, 'b'),
                                       std::string("local\0host", 10)};
  v1::ResolveAddressesRequest request;
  request.set_network_id(pick_network());
  // Random bytes are mostly not UTF-8: protobuf refuses such a `string` field before the
  // daemon's code sees it, and gRPC answers with a non-OK status. That is fine; a crash is not.
  const bool raw = random_() % 4 == 0;
  request.set_name(raw ? pick_bytes(300) : kNames[random_() % std::size(kNames)]);
  auto response =
      client_->call(client_->lookup(), &v1::IpNameLookup::Stub::ResolveAddresses, request, &status);
  if (raw && !status.ok()) {
    ++stats_.calls;
    return;
  }
  check(status, response.error(), Pick{0, Source::kOwn}, "ResolveAddresses");
  EXPECT_TRUE(v1::ErrorCode_IsValid(response.lookup_error()));
}

void RpcFuzzer::attach_frame() {
  if (!attached_) {
    return create_socket();
  }
  v1::ClientFrame frame;
  const std::size_t items = 1 + random_() % 4;
  for (std::size_t i = 0; i < items; ++i) {
    const Pick pick = pick_id();
    if (random_() % 2) {
      v1::TcpWrite* write = frame.add_items()->mutable_tcp_write();
      write->set_socket_id(pick.id);
      // Mostly small; sometimes a full item or past the item limit / the permit.
      const std::size_t size = random_() % 8 == 0 ? (1 << 20) + random_() % 2 : random_() % 2048;
      write->set_data(std::string(size, 'w'));
    } else {
      v1::ReadCredit* credit = frame.add_items()->mutable_read_credit();
      credit->set_socket_id(pick.id);
      credit->set_bytes(pick_size());
    }
  }
  if (random_() % 16 == 0) {
    frame.add_items();  // an item with no oneof set
  }
  client_->send(frame);
  ++stats_.frames;
  // Drain what the daemon pushed so the test process's memory stays flat.
  while (
      client_->wait_for([](const v1::ServerItem&) { return true; }, std::chrono::milliseconds(0))) {
  }
}

void RpcFuzzer::second_attach() {
  // A second Attach on the same connection must be refused without disturbing the first.
  auto stub = v1::Session::NewStub(client_->channel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stream = stub->Attach(&context);
  v1::ServerFrame frame;
  if (attached_) {
    EXPECT_FALSE(stream->Read(&frame)) << "a second Attach was served";
    const grpc::Status status = stream->Finish();
    ++stats_.calls;
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  } else {
    stream->WritesDone();
    while (stream->Read(&frame)) {
    }
    (void)stream->Finish();
    reconnect();  // this connection's session has been attached and ended: start afresh
  }
}

}  // namespace wasi_socketd::testing
