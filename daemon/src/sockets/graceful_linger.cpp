#include "graceful_linger.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace wasi_socketd::sockets {

std::optional<std::chrono::seconds> graceful_linger_time(int fd) {
  ::linger value{};
  socklen_t length = sizeof value;
  if (::getsockopt(fd, SOL_SOCKET, SO_LINGER, &value, &length) != 0) return std::nullopt;
  if (value.l_onoff == 0 || value.l_linger <= 0) return std::nullopt;
  return std::chrono::seconds(value.l_linger);
}

void disarm_graceful_linger(int fd) {
  if (!graceful_linger_time(fd)) return;
  const ::linger off{0, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &off, sizeof off);
}

bool fin_acknowledged(int fd) {
  tcp_info info{};
  socklen_t length = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return true;
  // The states in which Linux's sk_stream_wait_close() keeps a lingering close() waiting.
  switch (info.tcpi_state) {
    case TCP_FIN_WAIT1:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
      return false;
    default:
      return true;
  }
}

}  // namespace wasi_socketd::sockets
