// A seeded, sequence-aware fuzzer of the tenant-facing gRPC surface: random calls on ids the
// session owns, ids it does not, and garbage, with random addresses, enums and sizes, plus random
// Attach frames. The daemon must answer every call (never a transport error), keep the other
// session working, and give back every file descriptor once the fuzzing session is gone.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "temp_directory.h"
#include "test_client.h"
#include "wasi_socketd/v1/sockets_ext.grpc.pb.h"

namespace wasi_socketd::testing {
namespace {

class Fuzzer {
 public:
  Fuzzer(TestClient& client, std::uint32_t seed)
      : client_(client), random_(seed), ext_(v1::SocketsExt::NewStub(client.channel())) {}

  void run(int steps) {
    network_ = client_.network_id();
    for (int i = 0; i < steps; ++i) {
      step();
    }
  }

 private:
  std::uint64_t pick(std::uint64_t bound) {
    return std::uniform_int_distribution<std::uint64_t>(0, bound - 1)(random_);
  }
  bool coin() { return pick(2) == 0; }

  std::uint64_t some_id() {
    switch (pick(4)) {
      case 0:
        return random_();
      case 1:
        return network_;
      default:
        return ids_.empty() ? 0 : ids_[pick(ids_.size())];
    }
  }

  v1::IpAddressFamily some_family() { return static_cast<v1::IpAddressFamily>(pick(4)); }

  v1::IpSocketAddress some_address() {
    v1::IpSocketAddress address =
        loopback(coin() ? v1::IP_ADDRESS_FAMILY_IPV4 : v1::IP_ADDRESS_FAMILY_IPV6,
                 coin() ? 0 : static_cast<std::uint32_t>(pick(70000)));
    if (pick(4) == 0) {
      address.mutable_address()->set_family(some_family());
    }
    if (pick(4) == 0) {
      address.mutable_address()->set_octets(std::string(pick(20), static_cast<char>(pick(256))));
    }
    if (!ports_.empty() && coin()) {
      address.set_port(ports_[pick(ports_.size())]);
    }
    return address;
  }

  template <class Stub, class Request, class Response>
  Response call(Stub& stub,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                const Request& request) {
    grpc::Status status;
    Response response = client_.call(stub, method, request, &status);
    EXPECT_TRUE(status.ok()) << status.error_message() << " for " << request.ShortDebugString();
    return response;
  }

  void step() {
    v1::TcpSocketRequest tcp;
    tcp.set_socket_id(some_id());
    v1::UdpSocketRequest udp;
    udp.set_socket_id(some_id());
    switch (pick(19)) {
      case 0: {
        v1::CreateTcpSocketRequest create;
        create.set_family(some_family());
        remember(call(client_.tcp_create(), &v1::TcpCreateSocket::Stub::CreateTcpSocket, create)
                     .socket_id());
        break;
      }
      case 1: {
        v1::CreateUdpSocketRequest create;
        create.set_family(some_family());
        remember(call(client_.udp_create(), &v1::UdpCreateSocket::Stub::CreateUdpSocket, create)
                     .socket_id());
        break;
      }
      case 2: {
        v1::TcpStartBindRequest bind;
        bind.set_socket_id(tcp.socket_id());
        bind.set_network_id(coin() ? network_ : some_id());
        *bind.mutable_local_address() = some_address();
        call(client_.tcp(), &v1::Tcp::Stub::StartBind, bind);
        call(client_.tcp(), &v1::Tcp::Stub::FinishBind, tcp);
        break;
      }
      case 3: {
        call(client_.tcp(), &v1::Tcp::Stub::StartListen, tcp);
        call(client_.tcp(), &v1::Tcp::Stub::FinishListen, tcp);
        auto local = call(client_.tcp(), &v1::Tcp::Stub::LocalAddress, tcp);
        if (local.error() == v1::ERROR_CODE_UNSPECIFIED && local.address().port() != 0) {
          ports_.push_back(local.address().port());
        }
        break;
      }
      case 4: {
        v1::TcpStartConnectRequest connect;
        connect.set_socket_id(tcp.socket_id());
        connect.set_network_id(network_);
        *connect.mutable_remote_address() = some_address();
        call(client_.tcp(), &v1::Tcp::Stub::StartConnect, connect);
        break;
      }
      case 5:
        call(client_.tcp(), &v1::Tcp::Stub::FinishConnect, tcp);
        break;
      case 6:
        remember(call(client_.tcp(), &v1::Tcp::Stub::Accept, tcp).socket_id());
        break;
      case 7: {
        v1::TcpSetOptionRequest set;
        set.set_socket_id(tcp.socket_id());
        set.set_option(static_cast<v1::TcpOption>(pick(10)));
        set.set_value(coin() ? pick(300) : random_());
        call(client_.tcp(), &v1::Tcp::Stub::SetOption, set);
        v1::TcpGetOptionRequest get;
        get.set_socket_id(tcp.socket_id());
        get.set_option(static_cast<v1::TcpOption>(pick(10)));
        call(client_.tcp(), &v1::Tcp::Stub::GetOption, get);
        break;
      }
      case 8: {
        v1::TcpShutdownRequest shutdown;
        shutdown.set_socket_id(tcp.socket_id());
        shutdown.set_how(static_cast<v1::ShutdownType>(pick(5)));
        call(client_.tcp(), &v1::Tcp::Stub::Shutdown, shutdown);
        break;
      }
      case 9: {
        v1::TcpDropRequest drop;
        drop.set_socket_id(tcp.socket_id());
        call(client_.tcp(), &v1::Tcp::Stub::Drop, drop);
        break;
      }
      case 10: {
        v1::UdpStartBindRequest bind;
        bind.set_socket_id(udp.socket_id());
        bind.set_network_id(network_);
        *bind.mutable_local_address() = some_address();
        call(client_.udp(), &v1::Udp::Stub::StartBind, bind);
        call(client_.udp(), &v1::Udp::Stub::FinishBind, udp);
        break;
      }
      case 11: {
        v1::UdpStreamRequest stream;
        stream.set_socket_id(udp.socket_id());
        if (coin()) {
          *stream.mutable_remote_address() = some_address();
        }
        generation_ = call(client_.udp(), &v1::Udp::Stub::Stream, stream).stream_generation();
        break;
      }
      case 12: {
        v1::UdpSendRequest send;
        send.set_socket_id(udp.socket_id());
        send.set_stream_generation(coin() ? generation_ : pick(4));
        for (std::uint64_t n = pick(5); n > 0; --n) {
          v1::OutgoingDatagram* datagram = send.add_datagrams();
          datagram->set_data(std::string(coin() ? pick(100) : pick(70000), 'u'));
          if (coin()) {
            *datagram->mutable_remote_address() = some_address();
          }
        }
        call(client_.udp(), &v1::Udp::Stub::Send, send);
        v1::UdpReceiveRequest receive;
        receive.set_socket_id(udp.socket_id());
        receive.set_stream_generation(generation_);
        receive.set_max_results(coin() ? pick(4) : random_());
        call(client_.udp(), &v1::Udp::Stub::Receive, receive);
        break;
      }
      case 13:
        call(client_.udp(), &v1::Udp::Stub::Drop, udp);
        break;
      case 16: {
        v1::ExtGetOptionRequest get;
        get.set_socket_id(some_id());
        get.set_option(static_cast<v1::ExtOption>(pick(13)));
        call(*ext_, &v1::SocketsExt::Stub::GetOption, get);
        break;
      }
      case 17: {
        v1::ExtSetOptionRequest set;
        set.set_socket_id(some_id());
        set.set_option(static_cast<v1::ExtOption>(pick(13)));
        set.set_value(coin() ? pick(3) : random_());
        set.set_none(pick(4) == 0);
        call(*ext_, &v1::SocketsExt::Stub::SetOption, set);
        break;
      }
      case 18: {
        v1::ExtMulticastRequest membership;
        membership.set_socket_id(some_id());
        v1::IpAddress* group = membership.mutable_group();
        const bool v4 = coin();
        group->set_family(pick(4) == 0
                              ? some_family()
                              : (v4 ? v1::IP_ADDRESS_FAMILY_IPV4 : v1::IP_ADDRESS_FAMILY_IPV6));
        std::string octets(pick(4) == 0 ? pick(20) : (v4 ? 4 : 16), static_cast<char>(pick(256)));
        if (!octets.empty() && coin()) octets[0] = static_cast<char>(v4 ? 239 : 0xff);
        group->set_octets(octets);
        membership.set_interface_index(coin() ? 0 : static_cast<std::uint32_t>(random_()));
        call(*ext_,
             coin() ? &v1::SocketsExt::Stub::JoinMulticastGroup
                    : &v1::SocketsExt::Stub::LeaveMulticastGroup,
             membership);
        break;
      }
      case 14: {
        v1::ResolveAddressesRequest resolve;
        resolve.set_network_id(coin() ? network_ : some_id());
        const char* names[] = {"localhost", "::1", "[::]", "", "a..b", "127.0.0.1", "x y"};
        resolve.set_name(coin() ? names[pick(7)] : std::string(pick(300), 'n'));
        call(client_.lookup(), &v1::IpNameLookup::Stub::ResolveAddresses, resolve);
        break;
      }
      default: {
        v1::ClientFrame frame;
        for (std::uint64_t n = pick(4); n > 0; --n) {
          if (coin()) {
            v1::TcpWrite* write = frame.add_items()->mutable_tcp_write();
            write->set_socket_id(some_id());
            write->set_data(std::string(pick(200000), 'w'));
          } else {
            v1::ReadCredit* credit = frame.add_items()->mutable_read_credit();
            credit->set_socket_id(some_id());
            credit->set_bytes(random_());
          }
        }
        client_.send(frame);
        break;
      }
    }
  }

  void remember(std::uint64_t id) {
    if (id != 0) {
      ids_.push_back(id);
    }
  }

  TestClient& client_;
  std::mt19937_64 random_;
  std::uint64_t network_ = 0;
  std::uint64_t generation_ = 0;
  std::vector<std::uint64_t> ids_;
  std::vector<std::uint32_t> ports_;
  std::unique_ptr<v1::SocketsExt::Stub> ext_;
};

class CallSequenceFuzz : public ::testing::TestWithParam<std::uint32_t> {};

// The daemon's loopback-only default for the invoking user, plus every sockets-ext grant, so
// the extension calls reach the kernel instead of stopping at access-denied.
std::string policy_with_extensions() {
  return "[[tenant]]\nname = \"fuzz\"\nuids = [" + std::to_string(::getuid()) +
         "]\n[tenant.extensions]\nno_delay = true\nipv6_only = true\nlinger = true\n"
         "traffic_class = true\ncork = true\nbytes_available = true\nbroadcast = true\n"
         "reuse_address = true\nreuse_port = true\nmulticast_groups = [\"multicast\"]\n"
         "[tenant.tcp]\n[[tenant.tcp.bind]]\naddresses = [\"loopback\"]\n"
         "[[tenant.tcp.listen]]\naddresses = [\"loopback\"]\n"
         "[[tenant.tcp.accept]]\naddresses = [\"loopback\"]\n"
         "[[tenant.tcp.connect]]\naddresses = [\"loopback\"]\n"
         "[tenant.udp]\n[[tenant.udp.bind]]\naddresses = [\"loopback\"]\n"
         "[[tenant.udp.send]]\naddresses = [\"loopback\"]\n"
         "[[tenant.udp.receive]]\naddresses = [\"loopback\"]\n";
}

void survives_and_releases_everything(DaemonProcess& daemon, std::uint32_t seed) {
  TestClient bystander(daemon.target());
  ASSERT_TRUE(bystander.attach());
  const std::uint64_t kept = bystander.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
  { TestClient(daemon.target()).network_id(); }  // let gRPC make its lazy descriptors
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const int baseline = daemon.stable_fd_count();
  {
    TestClient client(daemon.target());
    ASSERT_TRUE(client.attach());
    Fuzzer(client, seed).run(2000);
  }
  v1::TcpSocketRequest request;
  request.set_socket_id(kept);
  EXPECT_EQ(bystander.call(bystander.tcp(), &v1::Tcp::Stub::AddressFamily, request).family(),
            v1::IP_ADDRESS_FAMILY_IPV4);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (daemon.open_fd_count() > baseline && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_LE(daemon.open_fd_count(), baseline);
}

TEST_P(CallSequenceFuzz, DaemonSurvivesAndReleasesEverything) {
  DaemonProcess daemon;
  survives_and_releases_everything(daemon, GetParam());
}

TEST_P(CallSequenceFuzz, WithEveryExtensionGrantedToo) {
  TempDirectory dir;
  DaemonProcess daemon({"--policy", dir.write("policy.toml", policy_with_extensions())});
  survives_and_releases_everything(daemon, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Seeds, CallSequenceFuzz, ::testing::Values(1u, 2u, 3u, 4u));

}  // namespace
}  // namespace wasi_socketd::testing
