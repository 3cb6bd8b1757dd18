// The broker-side measurements of the core benchmark, through the C++ client library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "native_bulk.h"
#include "native_udp.h"
#include "wasi_socketd/client/session.h"

namespace wasi_socketd::bench {

// Median round trips per second of a cheap control call (the daemon's Tcp.GetOption hop-limit,
// sent as a unary call; the client library's own getter answers from its mirror instead) through
// the broker: client library -> gRPC -> daemon -> getsockopt -> back.
double broker_control_calls_per_second(const std::shared_ptr<client::Session>& session, int calls);

// Bytes/second of `total` bytes written through the broker (Attach stream, write permit) to a
// loopback TCP `sink`, counted until the sink has received every byte.
double broker_tcp_throughput(const std::shared_ptr<client::Session>& session, TcpSink& sink,
                             std::uint64_t total, std::size_t chunk);

// `count` datagrams of `size` bytes sent through a broker UDP socket (client library, `batch`
// datagrams per send call, as a guest sends what check-send permits) to `counter`.
UdpCounter::Rate broker_udp_rate(const std::shared_ptr<client::Session>& session,
                                 UdpCounter& counter, std::uint64_t count, std::size_t size,
                                 std::size_t batch);

}  // namespace wasi_socketd::bench
