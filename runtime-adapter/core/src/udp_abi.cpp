// C ABI: wasi:sockets/udp-create-socket and wasi:sockets/udp, including the datagram streams.
//
// check-send is answered locally (kCheckSendPermit); send validates sizes locally before the
// broker sees the batch; receive readiness comes from the mirror.
#include <algorithm>
#include <optional>
#include <vector>

#include "abi_call.h"
#include "abi_convert.h"
#include "socket_abi.h"
#include "wasi_socketd/adapter.h"
#include "wasi_socketd/limits.h"

using namespace wasi_socketd::adapter;
namespace client = wasi_socketd::client;
using wasi_socketd::client::UdpOption;

namespace {

// Datagrams one send may carry; the broker takes up to kMaxDatagramsPerCall per call.
constexpr std::uint64_t kCheckSendPermit = 64;

UdpSocketResource& udp(Host& host, uint32_t socket) {
  return host.table().get<UdpSocketResource>(socket);
}

int32_t always_ready_pollable(Host& host, uint32_t parent, uint32_t* pollable) {
  *out_param(pollable) =
      host.table().push(PollableResource{[](const client::Mirror&) { return true; }}, parent);
  return WSD_OK;
}

}  // namespace

extern "C" {

int32_t wsd_udp_create_socket(wsd_host* h, uint8_t family, uint32_t* socket) {
  return create_socket<UdpSocketResource>(h, family, socket);
}

int32_t wsd_udp_start_bind(wsd_host* h, uint32_t socket, uint32_t network,
                           const wsd_ip_socket_address* local_address) {
  return start_bind<UdpSocketResource>(h, socket, network, local_address);
}

int32_t wsd_udp_finish_bind(wsd_host* h, uint32_t socket) {
  return finish_bind<UdpSocketResource>(h, socket);
}

int32_t wsd_udp_stream(wsd_host* h, uint32_t socket, const wsd_ip_socket_address* remote_address,
                       uint32_t* incoming, uint32_t* outgoing) {
  return abi_call(h, [&](Host& host) -> int32_t {
    auto& s = udp(host, socket);
    out_param(incoming);
    out_param(outgoing);
    // The WIT lets implementations trap here; like the reference host, we do.
    for (uint32_t child : host.table().children(socket)) {
      if (host.table().holds<IncomingDatagramStreamResource>(child) ||
          host.table().holds<OutgoingDatagramStreamResource>(child)) {
        trap("wasi-socketd: udp-socket.stream called while the previous streams are live");
      }
    }
    std::optional<client::IpSocketAddress> remote;
    if (remote_address != nullptr) remote = address_from_abi(remote_address);
    auto generation = s.socket.stream(remote);
    if (!generation) return error_code_of(generation.error());
    *incoming = host.table().push(IncomingDatagramStreamResource{socket, *generation}, socket);
    *outgoing = host.table().push(OutgoingDatagramStreamResource{socket, *generation, 0}, socket);
    return WSD_OK;
  });
}

int32_t wsd_udp_local_address(wsd_host* h, uint32_t socket, wsd_ip_socket_address* address) {
  return local_address<UdpSocketResource>(h, socket, address);
}

int32_t wsd_udp_remote_address(wsd_host* h, uint32_t socket, wsd_ip_socket_address* address) {
  return remote_address<UdpSocketResource>(h, socket, address);
}

int32_t wsd_udp_address_family(wsd_host* h, uint32_t socket, uint8_t* family) {
  return address_family<UdpSocketResource>(h, socket, family);
}

int32_t wsd_udp_unicast_hop_limit(wsd_host* h, uint32_t socket, uint8_t* value) {
  return get_option<UdpSocketResource>(h, socket, UdpOption::kUnicastHopLimit, value);
}

int32_t wsd_udp_set_unicast_hop_limit(wsd_host* h, uint32_t socket, uint8_t value) {
  return set_option<UdpSocketResource>(h, socket, UdpOption::kUnicastHopLimit, value);
}

int32_t wsd_udp_receive_buffer_size(wsd_host* h, uint32_t socket, uint64_t* value) {
  return get_option<UdpSocketResource>(h, socket, UdpOption::kReceiveBufferSize, value);
}

int32_t wsd_udp_set_receive_buffer_size(wsd_host* h, uint32_t socket, uint64_t value) {
  return set_option<UdpSocketResource>(h, socket, UdpOption::kReceiveBufferSize, value);
}

int32_t wsd_udp_send_buffer_size(wsd_host* h, uint32_t socket, uint64_t* value) {
  return get_option<UdpSocketResource>(h, socket, UdpOption::kSendBufferSize, value);
}

int32_t wsd_udp_set_send_buffer_size(wsd_host* h, uint32_t socket, uint64_t value) {
  return set_option<UdpSocketResource>(h, socket, UdpOption::kSendBufferSize, value);
}

int32_t wsd_udp_subscribe(wsd_host* h, uint32_t socket, uint32_t* pollable) {
  return abi_call(h, [&](Host& host) -> int32_t {
    udp(host, socket);
    return always_ready_pollable(host, socket, pollable);
  });
}

int32_t wsd_incoming_datagram_stream_receive(wsd_host* h, uint32_t stream, uint64_t max_results,
                                             const wsd_incoming_datagram** datagrams,
                                             size_t* count) {
  return abi_call(h, [&](Host& host) -> int32_t {
    out_param(datagrams);
    out_param(count);
    auto& in = host.table().get<IncomingDatagramStreamResource>(stream);
    auto& s = udp(host, in.socket);
    const std::uint64_t max =
        std::min<std::uint64_t>(max_results, wasi_socketd::kMaxDatagramsPerCall);
    auto received = s.socket.receive(in.generation, max);
    if (!received) return error_code_of(received.error());
    host.received = std::move(*received);
    host.received_view.clear();
    for (const auto& d : host.received) {
      wsd_incoming_datagram view{d.data.data(), d.data.size(), {}};
      address_to_abi(d.remote_address, &view.remote_address);
      host.received_view.push_back(view);
    }
    *datagrams = host.received_view.data();
    *count = host.received_view.size();
    return WSD_OK;
  });
}

int32_t wsd_incoming_datagram_stream_subscribe(wsd_host* h, uint32_t stream, uint32_t* pollable) {
  return abi_call(h, [&](Host& host) -> int32_t {
    auto& in = host.table().get<IncomingDatagramStreamResource>(stream);
    auto ready = [id = udp(host, in.socket).socket.id()](const client::Mirror& m) {
      return m.ready(id, client::ReadinessKind::kReceive);
    };
    *out_param(pollable) = host.table().push(PollableResource{ready, std::nullopt}, stream);
    return WSD_OK;
  });
}

int32_t wsd_outgoing_datagram_stream_check_send(wsd_host* h, uint32_t stream, uint64_t* permit) {
  return abi_call(h, [&](Host& host) -> int32_t {
    auto& out = host.table().get<OutgoingDatagramStreamResource>(stream);
    out.permitted = kCheckSendPermit;
    *out_param(permit) = out.permitted;
    return WSD_OK;
  });
}

int32_t wsd_outgoing_datagram_stream_send(wsd_host* h, uint32_t stream,
                                          const wsd_outgoing_datagram* datagrams, size_t count,
                                          uint64_t* sent) {
  return abi_call(h, [&](Host& host) -> int32_t {
    out_param(sent);
    auto& out = host.table().get<OutgoingDatagramStreamResource>(stream);
    if (count == 0) {
      *sent = 0;
      return WSD_OK;
    }
    if (datagrams == nullptr) trap("wasi-socketd: null datagram list");
    if (count > out.permitted) {
      trap("wasi-socketd: send of " + std::to_string(count) +
           " datagrams exceeds the check-send permit of " + std::to_string(out.permitted));
    }
    out.permitted = 0;  // each send needs its own check-send
    // A too-large datagram fails the call if it is first, else ends the batch before it.
    std::vector<client::OutgoingDatagram> batch;
    for (size_t i = 0; i < count; ++i) {
      if (datagrams[i].len > wasi_socketd::kMaxDatagramSize) break;
      client::OutgoingDatagram d{{datagrams[i].data, datagrams[i].len}, std::nullopt};
      if (datagrams[i].has_remote_address)
        d.remote_address = address_from_abi(&datagrams[i].remote_address);
      batch.push_back(d);
    }
    if (batch.empty()) return WSD_ERR_DATAGRAM_TOO_LARGE;
    return deliver(udp(host, out.socket).socket.send(out.generation, batch), sent);
  });
}

int32_t wsd_outgoing_datagram_stream_subscribe(wsd_host* h, uint32_t stream, uint32_t* pollable) {
  return abi_call(h, [&](Host& host) -> int32_t {
    host.table().get<OutgoingDatagramStreamResource>(stream);
    return always_ready_pollable(host, stream, pollable);
  });
}

}  // extern "C"
