// C ABI: wasi:sockets/tcp-create-socket and wasi:sockets/tcp.
//
// Calls that reach the kernel go to the broker; the getters, is-listening, address-family and
// subscribe are answered from the session's mirror, and setters are pipelined (client/).
#include "abi_call.h"
#include "abi_convert.h"
#include "socket_abi.h"
#include "wasi_socketd/adapter.h"

using namespace wasi_socketd::adapter;
namespace client = wasi_socketd::client;
using wasi_socketd::client::TcpOption;

namespace {

TcpSocketResource& tcp(Host& host, uint32_t socket) {
  return host.table().get<TcpSocketResource>(socket);
}

// The socket's two streams, children of the socket in the table.
void push_streams(Host& host, uint32_t socket, std::uint64_t socket_id, uint32_t* input,
                  uint32_t* output) {
  *input = host.table().push(
      InputStreamResource{client::TcpStreams(host.shared_session(), socket_id)}, socket);
  *output = host.table().push(
      OutputStreamResource{client::TcpStreams(host.shared_session(), socket_id)}, socket);
}

}  // namespace

extern "C" {

int32_t wsd_tcp_create_socket(wsd_host* h, uint8_t family, uint32_t* socket) {
  return create_socket<TcpSocketResource>(h, family, socket);
}

int32_t wsd_tcp_start_bind(wsd_host* h, uint32_t socket, uint32_t network,
                           const wsd_ip_socket_address* local_address) {
  return start_bind<TcpSocketResource>(h, socket, network, local_address);
}

int32_t wsd_tcp_finish_bind(wsd_host* h, uint32_t socket) {
  return finish_bind<TcpSocketResource>(h, socket);
}

int32_t wsd_tcp_start_connect(wsd_host* h, uint32_t socket, uint32_t network,
                              const wsd_ip_socket_address* remote_address) {
  return abi_call(h, [&](Host& host) -> int32_t {
    auto& s = tcp(host, socket);
    return code_of(
        s.socket.start_connect(network_id(host, network), address_from_abi(remote_address)));
  });
}

int32_t wsd_tcp_finish_connect(wsd_host* h, uint32_t socket, uint32_t* input, uint32_t* output) {
  return abi_call(h, [&](Host& host) -> int32_t {
    auto& s = tcp(host, socket);
    out_param(input);
    out_param(output);
    auto connected = s.socket.finish_connect();
    if (!connected) return error_code_of(connected.error());
    push_streams(host, socket, s.socket.id(), input, output);
    return WSD_OK;
  });
}

int32_t wsd_tcp_start_listen(wsd_host* h, uint32_t socket) {
  return abi_call(
      h, [&](Host& host) -> int32_t { return code_of(tcp(host, socket).socket.start_listen()); });
}

int32_t wsd_tcp_finish_listen(wsd_host* h, uint32_t socket) {
  return abi_call(
      h, [&](Host& host) -> int32_t { return code_of(tcp(host, socket).socket.finish_listen()); });
}

int32_t wsd_tcp_accept(wsd_host* h, uint32_t listener, uint32_t* socket, uint32_t* input,
                       uint32_t* output) {
  return abi_call(h, [&](Host& host) -> int32_t {
    out_param(socket);
    out_param(input);
    out_param(output);
    auto accepted = tcp(host, listener).socket.accept();
    if (!accepted) return error_code_of(accepted.error());
    const std::uint64_t id = accepted->socket.id();
    *socket = host.table().push(TcpSocketResource{std::move(accepted->socket)});
    push_streams(host, *socket, id, input, output);
    return WSD_OK;
  });
}

int32_t wsd_tcp_local_address(wsd_host* h, uint32_t socket, wsd_ip_socket_address* address) {
  return local_address<TcpSocketResource>(h, socket, address);
}

int32_t wsd_tcp_remote_address(wsd_host* h, uint32_t socket, wsd_ip_socket_address* address) {
  return remote_address<TcpSocketResource>(h, socket, address);
}

int32_t wsd_tcp_is_listening(wsd_host* h, uint32_t socket, bool* value) {
  return abi_call(h, [&](Host& host) -> int32_t {
    return deliver(tcp(host, socket).socket.is_listening(), out_param(value));
  });
}

int32_t wsd_tcp_address_family(wsd_host* h, uint32_t socket, uint8_t* family) {
  return address_family<TcpSocketResource>(h, socket, family);
}

int32_t wsd_tcp_set_listen_backlog_size(wsd_host* h, uint32_t socket, uint64_t value) {
  return set_option<TcpSocketResource>(h, socket, TcpOption::kListenBacklogSize, value);
}

int32_t wsd_tcp_keep_alive_enabled(wsd_host* h, uint32_t socket, bool* value) {
  return get_option<TcpSocketResource>(h, socket, TcpOption::kKeepAliveEnabled, value);
}

int32_t wsd_tcp_set_keep_alive_enabled(wsd_host* h, uint32_t socket, bool value) {
  return set_option<TcpSocketResource>(h, socket, TcpOption::kKeepAliveEnabled, value ? 1 : 0);
}

int32_t wsd_tcp_keep_alive_idle_time(wsd_host* h, uint32_t socket, uint64_t* ns) {
  return get_option<TcpSocketResource>(h, socket, TcpOption::kKeepAliveIdleTime, ns);
}

int32_t wsd_tcp_set_keep_alive_idle_time(wsd_host* h, uint32_t socket, uint64_t ns) {
  return set_option<TcpSocketResource>(h, socket, TcpOption::kKeepAliveIdleTime, ns);
}

int32_t wsd_tcp_keep_alive_interval(wsd_host* h, uint32_t socket, uint64_t* ns) {
  return get_option<TcpSocketResource>(h, socket, TcpOption::kKeepAliveInterval, ns);
}

int32_t wsd_tcp_set_keep_alive_interval(wsd_host* h, uint32_t socket, uint64_t ns) {
  return set_option<TcpSocketResource>(h, socket, TcpOption::kKeepAliveInterval, ns);
}

int32_t wsd_tcp_keep_alive_count(wsd_host* h, uint32_t socket, uint32_t* value) {
  return get_option<TcpSocketResource>(h, socket, TcpOption::kKeepAliveCount, value);
}

int32_t wsd_tcp_set_keep_alive_count(wsd_host* h, uint32_t socket, uint32_t value) {
  return set_option<TcpSocketResource>(h, socket, TcpOption::kKeepAliveCount, value);
}

int32_t wsd_tcp_hop_limit(wsd_host* h, uint32_t socket, uint8_t* value) {
  return get_option<TcpSocketResource>(h, socket, TcpOption::kHopLimit, value);
}

int32_t wsd_tcp_set_hop_limit(wsd_host* h, uint32_t socket, uint8_t value) {
  return set_option<TcpSocketResource>(h, socket, TcpOption::kHopLimit, value);
}

int32_t wsd_tcp_receive_buffer_size(wsd_host* h, uint32_t socket, uint64_t* value) {
  return get_option<TcpSocketResource>(h, socket, TcpOption::kReceiveBufferSize, value);
}

int32_t wsd_tcp_set_receive_buffer_size(wsd_host* h, uint32_t socket, uint64_t value) {
  return set_option<TcpSocketResource>(h, socket, TcpOption::kReceiveBufferSize, value);
}

int32_t wsd_tcp_send_buffer_size(wsd_host* h, uint32_t socket, uint64_t* value) {
  return get_option<TcpSocketResource>(h, socket, TcpOption::kSendBufferSize, value);
}

int32_t wsd_tcp_set_send_buffer_size(wsd_host* h, uint32_t socket, uint64_t value) {
  return set_option<TcpSocketResource>(h, socket, TcpOption::kSendBufferSize, value);
}

int32_t wsd_tcp_subscribe(wsd_host* h, uint32_t socket, uint32_t* pollable) {
  return abi_call(h, [&](Host& host) -> int32_t {
    // Ready when what the socket waits for is done: a connect, or an accept; else at once.
    auto ready = [id = tcp(host, socket).socket.id()](const client::Mirror& m) {
      return client::TcpSocket::pollable_ready(m, id);
    };
    *out_param(pollable) = host.table().push(PollableResource{ready, std::nullopt}, socket);
    return WSD_OK;
  });
}

int32_t wsd_tcp_shutdown(wsd_host* h, uint32_t socket, uint8_t how) {
  return abi_call(h, [&](Host& host) -> int32_t {
    if (how > WSD_SHUTDOWN_BOTH) trap("wasi-socketd: invalid shutdown-type");
    return code_of(tcp(host, socket).socket.shutdown(static_cast<client::ShutdownType>(how)));
  });
}

}  // extern "C"
