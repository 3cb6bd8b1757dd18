// Host: everything one guest instance has — its broker session and its resource table.
//
// Created by wsd_host_open, destroyed by wsd_host_close. Guest thread only; the session's own
// reader thread never touches the table.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "resource_table.h"
#include "wasi_socketd/adapter.h"
#include "wasi_socketd/client/session.h"
#include "wasi_socketd/client/udp_socket.h"

namespace wasi_socketd::adapter {

class Host {
 public:
  explicit Host(std::shared_ptr<client::Session> session);
  ~Host();  // ends the session first, so dropping the remaining resources costs no round trips

  client::Session& session() { return *session_; }
  const std::shared_ptr<client::Session>& shared_session() { return session_; }
  ResourceTable& table() { return table_; }

  // Traps with the broker-lost message once the session is dead.
  void require_alive();

  // A new wasi:io/error resource for a stream's last-operation-failed.
  std::uint32_t push_error(client::ErrorCode code);

  // Storage behind the datagrams incoming-datagram-stream.receive hands out (valid until the
  // next call on this host).
  std::vector<client::IncomingDatagram> received;
  std::vector<wsd_incoming_datagram> received_view;

 private:
  std::shared_ptr<client::Session> session_;
  ResourceTable table_;
};

}  // namespace wasi_socketd::adapter

// The C ABI's opaque host: the Host plus the message of the last trap.
struct wsd_host {
  std::unique_ptr<wasi_socketd::adapter::Host> host;
  std::string trap_message = "no trap";
};
