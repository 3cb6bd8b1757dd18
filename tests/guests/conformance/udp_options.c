// CONFORMANCE.md "UDP" options: defaults, zero refused, extremes clamped, exact read-back.
#include "wasi_guest/fixtures.h"

static void defaults_positive(ip_family f) {
  udp_socket s;
  EXPECT_OK(udp_create(f, &s));
  uint8_t hops;
  uint64_t rcvbuf, sndbuf;
  EXPECT_OK(udp_unicast_hop_limit(s, &hops));
  EXPECT_OK(udp_receive_buffer_size(s, &rcvbuf));
  EXPECT_OK(udp_send_buffer_size(s, &sndbuf));
  EXPECT_TRUE(hops > 0, "unicast-hop-limit default is 0");
  EXPECT_TRUE(rcvbuf > 0, "receive-buffer-size default is 0");
  EXPECT_TRUE(sndbuf > 0, "send-buffer-size default is 0");
  udp_drop(s);
}

static void zero_invalid(ip_family f) {
  udp_socket s;
  EXPECT_OK(udp_create(f, &s));
  EXPECT_NET(udp_set_unicast_hop_limit(s, 0), ERR_INVALID_ARGUMENT);
  EXPECT_NET(udp_set_receive_buffer_size(s, 0), ERR_INVALID_ARGUMENT);
  EXPECT_NET(udp_set_send_buffer_size(s, 0), ERR_INVALID_ARGUMENT);
  udp_drop(s);
}

// The smallest and largest values are accepted (buffer sizes clamped by the host, not refused).
static void extremes_clamped(ip_family f) {
  udp_socket s;
  EXPECT_OK(udp_create(f, &s));
  EXPECT_OK(udp_set_unicast_hop_limit(s, 1));
  EXPECT_OK(udp_set_unicast_hop_limit(s, UINT8_MAX));
  EXPECT_OK(udp_set_receive_buffer_size(s, 1));
  EXPECT_OK(udp_set_receive_buffer_size(s, UINT64_MAX));
  EXPECT_OK(udp_set_send_buffer_size(s, 1));
  EXPECT_OK(udp_set_send_buffer_size(s, UINT64_MAX));
  udp_drop(s);
}

static void read_back_exact(ip_family f) {
  udp_socket s;
  EXPECT_OK(udp_create(f, &s));
  uint8_t hops;
  uint64_t size;
  EXPECT_OK(udp_set_unicast_hop_limit(s, 42));
  EXPECT_OK(udp_unicast_hop_limit(s, &hops));
  EXPECT_TRUE(hops == 42, "unicast-hop-limit reads %u", hops);
  EXPECT_OK(udp_set_receive_buffer_size(s, 0x10000));
  EXPECT_OK(udp_receive_buffer_size(s, &size));
  EXPECT_TRUE(size == 0x10000, "receive-buffer-size reads %llu", (unsigned long long)size);
  EXPECT_OK(udp_set_send_buffer_size(s, 0x10000));
  EXPECT_OK(udp_send_buffer_size(s, &size));
  EXPECT_TRUE(size == 0x10000, "send-buffer-size reads %llu", (unsigned long long)size);
  udp_drop(s);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("udp_options.defaults_positive", defaults_positive);
  RUN_BOTH_FAMILIES("udp_options.zero_invalid", zero_invalid);
  RUN_BOTH_FAMILIES("udp_options.extremes_clamped", extremes_clamped);
  RUN_BOTH_FAMILIES("udp_options.read_back_exact", read_back_exact);
  return check_finish();
}
