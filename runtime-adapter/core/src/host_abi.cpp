// C ABI: host lifetime, traps and resource-drop.
#include <grpc/grpc.h>

#include <cstdio>

#include "abi_call.h"
#include "host.h"
#include "wasi_socketd/adapter.h"

using wasi_socketd::adapter::abi_call;
using wasi_socketd::adapter::Host;
namespace client = wasi_socketd::client;

namespace {

// gRPC's last grpc_shutdown() joins its executor thread, which (gRPC 1.51) may sit up to 10 s in
// epoll_wait after the broker vanished: a guest's exit would wait for it. The adapter keeps one
// library reference for the life of the process, so closing the last host never shuts gRPC down.
void hold_grpc_for_the_process() {
  [[maybe_unused]] static const bool held = [] {
    grpc_init();
    return true;
  }();
}

}  // namespace

extern "C" {

wsd_host* wsd_host_open(const char* broker_path, char* err, size_t errlen) {
  hold_grpc_for_the_process();
  client::SessionOptions options;
  if (broker_path != nullptr) options.socket_path = broker_path;
  std::string error;
  auto session = client::Session::open(options, &error);
  if (!session) {
    if (err != nullptr && errlen > 0) std::snprintf(err, errlen, "%s", error.c_str());
    return nullptr;
  }
  auto* h = new wsd_host;
  h->host = std::make_unique<Host>(std::move(session));
  return h;
}

void wsd_host_close(wsd_host* h) { delete h; }

const char* wsd_host_trap_message(wsd_host* h) {
  return h == nullptr ? "wasi-socketd: null host" : h->trap_message.c_str();
}

int32_t wsd_resource_drop(wsd_host* h, uint32_t handle) {
  if (h == nullptr || !h->host) return WSD_TRAP;
  // Not through abi_call: dropping must work after the broker is gone, so the guest can clean up.
  try {
    (void)h->host->table().remove(handle);  // destroying a socket drops it in the broker
    return WSD_OK;
  } catch (const wasi_socketd::adapter::Trap& t) {
    h->trap_message = t.message;
    return WSD_TRAP;
  }
}

}  // extern "C"
