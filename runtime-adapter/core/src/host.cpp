#include "host.h"

namespace wasi_socketd::adapter {

Host::Host(std::shared_ptr<client::Session> session) : session_(std::move(session)) {}

Host::~Host() {
  session_->close();
  table_.clear();
}

void Host::require_alive() {
  if (!session_->alive()) trap(kBrokerLost);
}

std::uint32_t Host::push_error(client::ErrorCode code) { return table_.push(ErrorResource{code}); }

}  // namespace wasi_socketd::adapter
