// Where a session's outgoing frames go: the Attach stream (implemented by the Session service).
// Called on the session's strand only.
#pragma once

#include "wasi_socketd/v1/session.pb.h"

namespace wasi_socketd::daemon {

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // Starts writing `frame`. At most one write is in flight; when it completes the sink calls
  // Session::frame_written() on the strand.
  virtual void write(v1::ServerFrame frame) = 0;
  // The backlog has drained below the soft bound again: start reading client frames, if reading
  // was held back because the session was backlogged().
  virtual void resume_reading() = 0;
  // Ends the stream (the session is over). No write is started after it.
  virtual void finish() = 0;
};

}  // namespace wasi_socketd::daemon
