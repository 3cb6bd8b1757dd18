// wasi:sockets/tcp and tcp-create-socket.
#include "binding_shapes.h"
#include "bindings.h"

namespace wasi_socketd::adapter::napi {
namespace {

napi_value finish_connect(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    uint32_t input = 0, output = 0;
    check(env, args.host_box(),
          wsd_tcp_finish_connect(args.host(), to_u32(env, args[1]), &input, &output));
    return js_tuple(env, {input, output});
  });
}

napi_value accept(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    uint32_t socket = 0, input = 0, output = 0;
    check(env, args.host_box(),
          wsd_tcp_accept(args.host(), to_u32(env, args[1]), &socket, &input, &output));
    return js_tuple(env, {socket, input, output});
  });
}

napi_value shutdown(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 3);
    check(env, args.host_box(),
          wsd_tcp_shutdown(args.host(), to_u32(env, args[1]), to_shutdown_type(env, args[2])));
    return js_undefined(env);
  });
}

constexpr Function kFunctions[] = {
    {"tcpCreateSocket", create_socket<wsd_tcp_create_socket>},
    {"tcpStartBind", start_with_address<wsd_tcp_start_bind>},
    {"tcpFinishBind", call_on_handle<wsd_tcp_finish_bind>},
    {"tcpStartConnect", start_with_address<wsd_tcp_start_connect>},
    {"tcpFinishConnect", finish_connect},
    {"tcpStartListen", call_on_handle<wsd_tcp_start_listen>},
    {"tcpFinishListen", call_on_handle<wsd_tcp_finish_listen>},
    {"tcpAccept", accept},
    {"tcpLocalAddress", get_socket_address<wsd_tcp_local_address>},
    {"tcpRemoteAddress", get_socket_address<wsd_tcp_remote_address>},
    {"tcpIsListening", get_value<wsd_tcp_is_listening>},
    {"tcpAddressFamily", get_family<wsd_tcp_address_family>},
    {"tcpSetListenBacklogSize", set_value<wsd_tcp_set_listen_backlog_size>},
    {"tcpKeepAliveEnabled", get_value<wsd_tcp_keep_alive_enabled>},
    {"tcpSetKeepAliveEnabled", set_value<wsd_tcp_set_keep_alive_enabled>},
    {"tcpKeepAliveIdleTime", get_value<wsd_tcp_keep_alive_idle_time>},
    {"tcpSetKeepAliveIdleTime", set_value<wsd_tcp_set_keep_alive_idle_time>},
    {"tcpKeepAliveInterval", get_value<wsd_tcp_keep_alive_interval>},
    {"tcpSetKeepAliveInterval", set_value<wsd_tcp_set_keep_alive_interval>},
    {"tcpKeepAliveCount", get_value<wsd_tcp_keep_alive_count>},
    {"tcpSetKeepAliveCount", set_value<wsd_tcp_set_keep_alive_count>},
    {"tcpHopLimit", get_value<wsd_tcp_hop_limit>},
    {"tcpSetHopLimit", set_value<wsd_tcp_set_hop_limit>},
    {"tcpReceiveBufferSize", get_value<wsd_tcp_receive_buffer_size>},
    {"tcpSetReceiveBufferSize", set_value<wsd_tcp_set_receive_buffer_size>},
    {"tcpSendBufferSize", get_value<wsd_tcp_send_buffer_size>},
    {"tcpSetSendBufferSize", set_value<wsd_tcp_set_send_buffer_size>},
    {"tcpSubscribe", make_handle<wsd_tcp_subscribe>},
    {"tcpShutdown", shutdown},
};

}  // namespace

void register_tcp(napi_env env, napi_value exports) { define_functions(env, exports, kFunctions); }

}  // namespace wasi_socketd::adapter::napi
