// What the client sends on the Attach stream, applied to its session: TCP bytes to write and read
// credit. Items naming an unknown or non-TCP id are ignored (the socket may have been dropped
// while the frame was in flight). Strand only.
#pragma once

#include "session/session.h"
#include "wasi_socketd/v1/session.pb.h"

namespace wasi_socketd::daemon {

void apply_client_frame(Session& session, const v1::ClientFrame& frame);

}  // namespace wasi_socketd::daemon
