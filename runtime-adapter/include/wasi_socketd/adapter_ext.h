/* wasi-socketd runtime adapter: the C ABI of wasi-socketd:sockets-ext@0.1.0
 * (runtime-adapter/sockets-ext/wit/sockets-ext.wit), beside adapter.h and under its rules (handles,
 * return codes, threading). `socket` is a tcp-socket handle for the wsd_tcp_ext_* functions and a
 * udp-socket handle for the wsd_udp_ext_* ones (another handle traps). Every call is one round trip
 * to the broker ("blocking" only in that sense); an option the tenant's policy does not grant
 * answers WSD_ERR_ACCESS_DENIED. */
#ifndef WASI_SOCKETD_ADAPTER_EXT_H
#define WASI_SOCKETD_ADAPTER_EXT_H

#include "wasi_socketd/adapter.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The options (values as in sockets_ext.proto's ExtOption). Booleans are 0/1, durations ns. */
enum {
  WSD_EXT_NO_DELAY = 1,             /* tcp */
  WSD_EXT_IPV6_ONLY = 2,            /* tcp, udp */
  WSD_EXT_LINGER = 3,               /* tcp; `none` for option::none */
  WSD_EXT_TRAFFIC_CLASS = 4,        /* tcp, udp */
  WSD_EXT_CORK = 5,                 /* tcp */
  WSD_EXT_BYTES_AVAILABLE = 6,      /* tcp, udp; get only */
  WSD_EXT_BROADCAST = 7,            /* udp */
  WSD_EXT_REUSE_ADDRESS = 8,        /* udp */
  WSD_EXT_REUSE_PORT = 9,           /* udp */
  WSD_EXT_MULTICAST_HOP_LIMIT = 10, /* udp */
  WSD_EXT_MULTICAST_LOOPBACK = 11,  /* udp */
  WSD_EXT_MULTICAST_INTERFACE = 12  /* udp; interface index, 0 = the kernel's routes */
};

/* Getter of `option`; *none is set for WSD_EXT_LINGER only (option::none). An option number the
 * socket's kind does not have traps. */
int32_t wsd_tcp_ext_get(wsd_host* h, uint32_t socket, uint8_t option, uint64_t* value, bool* none);
int32_t wsd_tcp_ext_set(wsd_host* h, uint32_t socket, uint8_t option, uint64_t value, bool none);
int32_t wsd_udp_ext_get(wsd_host* h, uint32_t socket, uint8_t option, uint64_t* value, bool* none);
int32_t wsd_udp_ext_set(wsd_host* h, uint32_t socket, uint8_t option, uint64_t value, bool none);

int32_t wsd_udp_ext_join_multicast_group(wsd_host* h, uint32_t socket, const wsd_ip_address* group,
                                         uint32_t interface_index);
int32_t wsd_udp_ext_leave_multicast_group(wsd_host* h, uint32_t socket, const wsd_ip_address* group,
                                          uint32_t interface_index);

#ifdef __cplusplus
}
#endif

#endif
