#include "client_frame.h"

#include <limits>
#include <span>

#include "session/tcp_resource.h"

namespace wasi_socketd::daemon {

void apply_client_frame(Session& session, const v1::ClientFrame& frame) {
  for (const v1::ClientItem& item : frame.items()) {
    switch (item.item_case()) {
      case v1::ClientItem::kTcpWrite: {
        const v1::TcpWrite& write = item.tcp_write();
        if (auto* tcp = session.resources().find_for_data<TcpResource>(write.socket_id())) {
          const std::string& data = write.data();
          tcp->client_write(std::as_bytes(std::span(data.data(), data.size())));
        }
        break;
      }
      case v1::ClientItem::kReadCredit: {
        const v1::ReadCredit& credit = item.read_credit();
        if (auto* tcp = session.resources().find_for_data<TcpResource>(credit.socket_id())) {
          tcp->client_credit(credit.bytes());
        }
        break;
      }
      case v1::ClientItem::kTcpDrop:
        // Ordered after this stream's writes: everything the socket received is still written.
        if (auto* tcp = session.resources().find<TcpResource>(item.tcp_drop().socket_id())) {
          drop_tcp(session, *tcp, std::numeric_limits<std::uint64_t>::max());
        }
        break;
      default:
        break;
    }
    if (session.ended()) {
      return;
    }
  }
}

}  // namespace wasi_socketd::daemon
