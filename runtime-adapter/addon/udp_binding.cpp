// wasi:sockets/udp and udp-create-socket.
#include "binding_shapes.h"
#include "bindings.h"

namespace wasi_socketd::adapter::napi {
namespace {

// stream(option<ip-socket-address>) -> [incoming, outgoing]
napi_value stream(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 3);
    const auto remote = to_optional_socket_address(env, args[2]);
    uint32_t incoming = 0, outgoing = 0;
    check(env, args.host_box(),
          wsd_udp_stream(args.host(), to_u32(env, args[1]), remote ? &*remote : nullptr, &incoming,
                         &outgoing));
    return js_tuple(env, {incoming, outgoing});
  });
}

// receive(max-results) -> list<{data: Uint8Array, remoteAddress}>
napi_value receive(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 3);
    const wsd_incoming_datagram* datagrams = nullptr;
    size_t count = 0;
    check(env, args.host_box(),
          wsd_incoming_datagram_stream_receive(args.host(), to_u32(env, args[1]),
                                               to_u64(env, args[2]), &datagrams, &count));
    napi_value list;
    check_napi(env, napi_create_array_with_length(env, count, &list));
    for (size_t i = 0; i < count; ++i) {
      napi_value datagram;
      check_napi(env, napi_create_object(env, &datagram));
      check_napi(env, napi_set_named_property(env, datagram, "data",
                                              js_bytes(env, datagrams[i].data, datagrams[i].len)));
      check_napi(env, napi_set_named_property(env, datagram, "remoteAddress",
                                              js_socket_address(env, datagrams[i].remote_address)));
      check_napi(env, napi_set_element(env, list, static_cast<uint32_t>(i), datagram));
    }
    return list;
  });
}

// send(list<{data, remoteAddress?}>) -> u64 sent
napi_value send(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 3);
    bool is_array = false;
    check_napi(env, napi_is_array(env, args[2], &is_array));
    if (!is_array) throw_type_error(env, "expected a list of outgoing-datagram");
    uint32_t count = 0;
    check_napi(env, napi_get_array_length(env, args[2], &count));
    std::vector<wsd_outgoing_datagram> datagrams(count);
    for (uint32_t i = 0; i < count; ++i) {
      napi_value item, data, remote;
      check_napi(env, napi_get_element(env, args[2], i, &item));
      check_napi(env, napi_get_named_property(env, item, "data", &data));
      check_napi(env, napi_get_named_property(env, item, "remoteAddress", &remote));
      // The byte spans point into JS typed arrays that stay alive for this synchronous call.
      const std::span<const uint8_t> bytes = to_bytes(env, data);
      const auto address = to_optional_socket_address(env, remote);
      datagrams[i].data = bytes.data();
      datagrams[i].len = bytes.size();
      datagrams[i].has_remote_address = address.has_value();
      if (address) datagrams[i].remote_address = *address;
    }
    uint64_t sent = 0;
    check(env, args.host_box(),
          wsd_outgoing_datagram_stream_send(args.host(), to_u32(env, args[1]), datagrams.data(),
                                            datagrams.size(), &sent));
    return js_u64(env, sent);
  });
}

constexpr Function kFunctions[] = {
    {"udpCreateSocket", create_socket<wsd_udp_create_socket>},
    {"udpStartBind", start_with_address<wsd_udp_start_bind>},
    {"udpFinishBind", call_on_handle<wsd_udp_finish_bind>},
    {"udpStream", stream},
    {"udpLocalAddress", get_socket_address<wsd_udp_local_address>},
    {"udpRemoteAddress", get_socket_address<wsd_udp_remote_address>},
    {"udpAddressFamily", get_family<wsd_udp_address_family>},
    {"udpUnicastHopLimit", get_value<wsd_udp_unicast_hop_limit>},
    {"udpSetUnicastHopLimit", set_value<wsd_udp_set_unicast_hop_limit>},
    {"udpReceiveBufferSize", get_value<wsd_udp_receive_buffer_size>},
    {"udpSetReceiveBufferSize", set_value<wsd_udp_set_receive_buffer_size>},
    {"udpSendBufferSize", get_value<wsd_udp_send_buffer_size>},
    {"udpSetSendBufferSize", set_value<wsd_udp_set_send_buffer_size>},
    {"udpSubscribe", make_handle<wsd_udp_subscribe>},
    {"incomingDatagramStreamReceive", receive},
    {"incomingDatagramStreamSubscribe", make_handle<wsd_incoming_datagram_stream_subscribe>},
    {"outgoingDatagramStreamCheckSend", get_value<wsd_outgoing_datagram_stream_check_send>},
    {"outgoingDatagramStreamSend", send},
    {"outgoingDatagramStreamSubscribe", make_handle<wsd_outgoing_datagram_stream_subscribe>},
};

}  // namespace

void register_udp(napi_env env, napi_value exports) { define_functions(env, exports, kFunctions); }

}  // namespace wasi_socketd::adapter::napi
