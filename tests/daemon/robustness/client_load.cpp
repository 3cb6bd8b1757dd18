#include "client_load.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

namespace wasi_socketd::testing {

namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(5);

bool wait_ready(client::Session& session, std::uint64_t id, client::ReadinessKind kind) {
  const auto deadline = std::chrono::steady_clock::now() + kConnectTimeout;
  return session.wait_until([&](const client::Mirror& m) { return m.ready(id, kind); }, deadline) &&
         session.alive();
}

}  // namespace

client::IpSocketAddress loopback_v4(std::uint16_t port) {
  client::IpSocketAddress address;
  address.address = client::IpAddress::v4(127, 0, 0, 1);
  address.port = port;
  return address;
}

std::optional<client::TcpSocket> connect_through(const std::shared_ptr<client::Session>& session,
                                                 std::uint16_t port) {
  auto socket = client::TcpSocket::create(session, client::AddressFamily::kIpv4);
  if (!socket || !socket->start_connect(session->network_id(), loopback_v4(port)) ||
      !wait_ready(*session, socket->id(), client::ReadinessKind::kConnect) ||
      !socket->finish_connect()) {
    return std::nullopt;
  }
  return std::move(*socket);
}

std::optional<client::TcpSocket> listen_through(const std::shared_ptr<client::Session>& session,
                                                std::uint16_t* port) {
  auto socket = client::TcpSocket::create(session, client::AddressFamily::kIpv4);
  if (!socket || !socket->start_bind(session->network_id(), loopback_v4(0)) ||
      !socket->finish_bind() || !socket->start_listen() || !socket->finish_listen()) {
    return std::nullopt;
  }
  auto local = socket->local_address();
  if (!local) {
    return std::nullopt;
  }
  *port = local->port;
  return std::move(*socket);
}

std::optional<client::UdpSocket> udp_to(const std::shared_ptr<client::Session>& session,
                                        std::uint16_t port, std::uint64_t* generation) {
  auto socket = client::UdpSocket::create(session, client::AddressFamily::kIpv4);
  if (!socket || !socket->start_bind(session->network_id(), loopback_v4(0)) ||
      !socket->finish_bind()) {
    return std::nullopt;
  }
  auto stream = socket->stream(loopback_v4(port));
  if (!stream) {
    return std::nullopt;
  }
  *generation = *stream;
  return std::move(*socket);
}

client::StreamStatus push_bulk(client::TcpStreams& streams, std::uint64_t flush_every) {
  const std::vector<std::uint8_t> chunk(256 << 10, 0x5a);
  std::uint64_t since_flush = 0;
  for (;;) {
    auto permit = streams.check_write();
    if (!permit.ok()) {
      return permit.status;
    }
    if (permit.value == 0 || since_flush >= flush_every) {
      auto flushed = streams.blocking_flush();
      if (!flushed.ok()) {
        return flushed.status;
      }
      since_flush = 0;
      continue;
    }
    const std::size_t n = std::min<std::uint64_t>(permit.value, chunk.size());
    auto written = streams.write(std::span(chunk.data(), n));
    if (!written.ok()) {
      return written.status;
    }
    since_flush += n;
  }
}

void run_load_client(const LoadTargets& targets, int report_fd) {
  std::string error;
  auto session = client::Session::open({targets.socket_path}, &error);
  std::uint16_t listen_port = 0;
  auto listener = session ? listen_through(session, &listen_port) : std::nullopt;
  auto bulk = session ? connect_through(session, targets.tcp_peer) : std::nullopt;
  std::uint64_t generation = 0;
  auto udp = session ? udp_to(session, targets.udp_peer, &generation) : std::nullopt;
  if (!listener || !bulk || !udp ||
      ::write(report_fd, &listen_port, sizeof listen_port) != sizeof listen_port) {
    ::_exit(1);
  }
  std::thread datagrams([&] {
    const std::vector<std::uint8_t> payload(1200, 0x75);
    const client::OutgoingDatagram batch[] = {{payload, std::nullopt}, {payload, std::nullopt}};
    while (udp->send(generation, batch)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  client::TcpStreams streams(session, bulk->id());
  (void)push_bulk(streams, 4 << 20);
  ::_exit(2);  // the load only ends when the broker goes away; the test kills us first
}

}  // namespace wasi_socketd::testing
