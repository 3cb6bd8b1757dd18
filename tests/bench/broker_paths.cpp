#include "broker_paths.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_report.h"
#include "wasi_socketd/client/tcp_socket.h"
#include "wasi_socketd/client/tcp_streams.h"
#include "wasi_socketd/client/udp_socket.h"

namespace wasi_socketd::bench {
namespace {

client::TcpSocket connected_socket(const std::shared_ptr<client::Session>& session,
                                   std::uint16_t port) {
  auto socket = client::TcpSocket::create(session, client::AddressFamily::kIpv4);
  if (!socket) throw std::runtime_error("create-tcp-socket failed");
  client::IpSocketAddress remote{client::IpAddress::v4(127, 0, 0, 1), port};
  if (!socket->start_connect(session->network_id(), remote)) {
    throw std::runtime_error("start-connect failed");
  }
  const std::uint64_t id = socket->id();
  session->wait_until(
      [id](const client::Mirror& m) { return m.ready(id, client::ReadinessKind::kConnect); },
      client::kNoDeadline);
  if (!socket->finish_connect()) throw std::runtime_error("finish-connect failed");
  return std::move(*socket);
}

}  // namespace

double broker_control_calls_per_second(const std::shared_ptr<client::Session>& session, int calls) {
  auto socket = client::TcpSocket::create(session, client::AddressFamily::kIpv4);
  if (!socket) throw std::runtime_error("create-tcp-socket failed");
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(calls));
  for (int i = -calls / 10; i < calls; ++i) {
    auto start = Clock::now();
    // The daemon's GetOption, called directly: TcpSocket::get_option answers from the mirror
    // without a round trip, and this figure measures the round trip.
    v1::TcpGetOptionRequest request;
    request.set_socket_id(socket->id());
    request.set_option(v1::TCP_OPTION_HOP_LIMIT);
    if (!session->call(session->tcp(), &v1::Tcp::Stub::GetOption, request)) {
      throw std::runtime_error("hop-limit failed");
    }
    if (i >= 0) samples.push_back(seconds_since(start));
  }
  return 1.0 / median(samples);
}

double broker_tcp_throughput(const std::shared_ptr<client::Session>& session, TcpSink& sink,
                             std::uint64_t total, std::size_t chunk) {
  sink.reset();
  client::TcpSocket socket = connected_socket(session, sink.port());
  client::TcpStreams streams(session, socket.id());
  std::vector<std::uint8_t> data(chunk, 'x');
  auto start = Clock::now();
  for (std::uint64_t sent = 0; sent < total;) {
    session->wait_until([&](const client::Mirror& m) { return streams.output_ready_in(m); },
                        client::kNoDeadline);
    auto permit = streams.check_write();
    if (!permit.ok()) throw std::runtime_error("check-write failed");
    std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>({permit.value, chunk, total - sent}));
    if (n == 0) continue;
    if (!streams.write({data.data(), n}).ok()) throw std::runtime_error("write failed");
    sent += n;
  }
  if (!streams.blocking_flush().ok()) throw std::runtime_error("flush failed");
  sink.wait_for(total);
  double elapsed = seconds_since(start);
  return static_cast<double>(total) / elapsed;
}

UdpCounter::Rate broker_udp_rate(const std::shared_ptr<client::Session>& session,
                                 UdpCounter& counter, std::uint64_t count, std::size_t size,
                                 std::size_t batch) {
  counter.reset();
  auto socket = client::UdpSocket::create(session, client::AddressFamily::kIpv4);
  if (!socket) throw std::runtime_error("create-udp-socket failed");
  const client::IpAddress loopback = client::IpAddress::v4(127, 0, 0, 1);
  if (!socket->start_bind(session->network_id(), {loopback, 0}) || !socket->finish_bind()) {
    throw std::runtime_error("udp bind failed");
  }
  const auto generation = socket->stream(client::IpSocketAddress{loopback, counter.port()});
  if (!generation) throw std::runtime_error("udp stream failed");
  const std::vector<std::uint8_t> payload(size, 'u');
  const std::vector<client::OutgoingDatagram> datagrams(batch, {payload, std::nullopt});
  const auto start = Clock::now();
  for (std::uint64_t sent = 0; sent < count;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(batch, count - sent));
    auto result = socket->send(*generation, std::span(datagrams).first(n));
    if (!result) throw std::runtime_error("udp send failed");
    sent += *result;
  }
  return counter.wait_for(count, start);
}

}  // namespace wasi_socketd::bench
