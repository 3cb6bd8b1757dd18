// Interim C ABI: every function answers not-supported until the host core lands.
#include "wasi_socketd/adapter.h"

#include <cstdio>

extern "C" {

struct wsd_host {};

wsd_host* wsd_host_open(const char*, char* err, size_t errlen) {
  if (err != nullptr && errlen > 0)
    std::snprintf(err, errlen, "%s", "wasi-socketd adapter: host not available yet");
  return nullptr;
}

void wsd_host_close(wsd_host* h) { delete h; }

const char* wsd_host_trap_message(wsd_host*) { return "not supported"; }

int32_t wsd_resource_drop(wsd_host*, uint32_t) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_instance_network(wsd_host*, uint32_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_network_error_code(wsd_host*, uint32_t, int32_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_error_to_debug_string(wsd_host*, uint32_t, char*, size_t, size_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_create_socket(wsd_host*, uint8_t, uint32_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_start_bind(wsd_host*, uint32_t, uint32_t, const wsd_ip_socket_address*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_finish_bind(wsd_host*, uint32_t) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_start_connect(wsd_host*, uint32_t, uint32_t, const wsd_ip_socket_address*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_finish_connect(wsd_host*, uint32_t, uint32_t*, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_start_listen(wsd_host*, uint32_t) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_finish_listen(wsd_host*, uint32_t) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_accept(wsd_host*, uint32_t, uint32_t*, uint32_t*, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_local_address(wsd_host*, uint32_t, wsd_ip_socket_address*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_remote_address(wsd_host*, uint32_t, wsd_ip_socket_address*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_is_listening(wsd_host*, uint32_t, bool*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_address_family(wsd_host*, uint32_t, uint8_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_set_listen_backlog_size(wsd_host*, uint32_t, uint64_t) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_keep_alive_enabled(wsd_host*, uint32_t, bool*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_set_keep_alive_enabled(wsd_host*, uint32_t, bool) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_keep_alive_idle_time(wsd_host*, uint32_t, uint64_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_set_keep_alive_idle_time(wsd_host*, uint32_t, uint64_t) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_keep_alive_interval(wsd_host*, uint32_t, uint64_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_set_keep_alive_interval(wsd_host*, uint32_t, uint64_t) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_keep_alive_count(wsd_host*, uint32_t, uint32_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_set_keep_alive_count(wsd_host*, uint32_t, uint32_t) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_hop_limit(wsd_host*, uint32_t, uint8_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_set_hop_limit(wsd_host*, uint32_t, uint8_t) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_receive_buffer_size(wsd_host*, uint32_t, uint64_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_set_receive_buffer_size(wsd_host*, uint32_t, uint64_t) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_send_buffer_size(wsd_host*, uint32_t, uint64_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_set_send_buffer_size(wsd_host*, uint32_t, uint64_t) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_tcp_subscribe(wsd_host*, uint32_t, uint32_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_tcp_shutdown(wsd_host*, uint32_t, uint8_t) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_udp_create_socket(wsd_host*, uint8_t, uint32_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_udp_start_bind(wsd_host*, uint32_t, uint32_t, const wsd_ip_socket_address*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_udp_finish_bind(wsd_host*, uint32_t) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_udp_stream(wsd_host*, uint32_t, const wsd_ip_socket_address*, uint32_t*, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_udp_local_address(wsd_host*, uint32_t, wsd_ip_socket_address*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_udp_remote_address(wsd_host*, uint32_t, wsd_ip_socket_address*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_udp_address_family(wsd_host*, uint32_t, uint8_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_udp_unicast_hop_limit(wsd_host*, uint32_t, uint8_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_udp_set_unicast_hop_limit(wsd_host*, uint32_t, uint8_t) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_udp_receive_buffer_size(wsd_host*, uint32_t, uint64_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_udp_set_receive_buffer_size(wsd_host*, uint32_t, uint64_t) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_udp_send_buffer_size(wsd_host*, uint32_t, uint64_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_udp_set_send_buffer_size(wsd_host*, uint32_t, uint64_t) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_udp_subscribe(wsd_host*, uint32_t, uint32_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_incoming_datagram_stream_receive(wsd_host*, uint32_t, uint64_t,
                                             const wsd_incoming_datagram**, size_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_incoming_datagram_stream_subscribe(wsd_host*, uint32_t, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_outgoing_datagram_stream_check_send(wsd_host*, uint32_t, uint64_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_outgoing_datagram_stream_send(wsd_host*, uint32_t, const wsd_outgoing_datagram*, size_t,
                                          uint64_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_outgoing_datagram_stream_subscribe(wsd_host*, uint32_t, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_resolve_addresses(wsd_host*, uint32_t, const char*, size_t, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_resolve_next_address(wsd_host*, uint32_t, wsd_ip_address*, bool*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_resolve_address_stream_subscribe(wsd_host*, uint32_t, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_pollable_ready(wsd_host*, uint32_t, bool*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_pollable_block(wsd_host*, uint32_t) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_poll(wsd_host*, const uint32_t*, size_t, uint32_t*, size_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_monotonic_now(wsd_host*, uint64_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_monotonic_resolution(wsd_host*, uint64_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_monotonic_subscribe_instant(wsd_host*, uint64_t, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_monotonic_subscribe_duration(wsd_host*, uint64_t, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_input_stream_read(wsd_host*, uint32_t, uint64_t, uint8_t*, uint64_t*, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_input_stream_blocking_read(wsd_host*, uint32_t, uint64_t, uint8_t*, uint64_t*,
                                       uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_input_stream_skip(wsd_host*, uint32_t, uint64_t, uint64_t*, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_input_stream_blocking_skip(wsd_host*, uint32_t, uint64_t, uint64_t*, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_input_stream_subscribe(wsd_host*, uint32_t, uint32_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_output_stream_check_write(wsd_host*, uint32_t, uint64_t*, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_output_stream_write(wsd_host*, uint32_t, const uint8_t*, uint64_t, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_output_stream_blocking_write_and_flush(wsd_host*, uint32_t, const uint8_t*, uint64_t,
                                                   uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_output_stream_flush(wsd_host*, uint32_t, uint32_t*) { return WSD_ERR_NOT_SUPPORTED; }
int32_t wsd_output_stream_blocking_flush(wsd_host*, uint32_t, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_output_stream_write_zeroes(wsd_host*, uint32_t, uint64_t, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_output_stream_blocking_write_zeroes_and_flush(wsd_host*, uint32_t, uint64_t,
                                                          uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_output_stream_splice(wsd_host*, uint32_t, uint32_t, uint64_t, uint64_t*, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_output_stream_blocking_splice(wsd_host*, uint32_t, uint32_t, uint64_t, uint64_t*,
                                          uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}
int32_t wsd_output_stream_subscribe(wsd_host*, uint32_t, uint32_t*) {
  return WSD_ERR_NOT_SUPPORTED;
}

}  // extern "C"
