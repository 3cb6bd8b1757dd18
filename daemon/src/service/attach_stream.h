// One Session.Attach call: the session's ordered, batched stream (session.proto).
//
// Lifetime: created by SessionService::Attach, owned by gRPC until OnDone, then deleted on the
// session's sequence after the session has let go of it. gRPC reactions (OnReadDone, ...) arrive
// on gRPC threads and post their work to the session's sequence, where it runs in order with
// everything else of the session; all state below is touched on the sequence only. The sequence
// is strictly FIFO, so OnDone (which deletes this) never overtakes a reaction before it (the former
// StrandGate allowed that; ASan caught the use-after-free). Posted, not run inline: the hop lets
// write acks pile up and merge in the outbox while a frame is in flight (EventBacklog tests), and
// inline reactions measured no bulk gain (docs/BENCHMARKS.md).
// Reads are started one at a time after the previous frame was applied, so a client that floods
// the stream is held back by HTTP/2 flow control, not buffered by the daemon. While the session is
// backlogged (it cannot send what it has), no read is started at all until resume_reading().
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "session/frame_sink.h"
#include "session/session.h"
#include "wasi_socketd/v1/session.pb.h"

namespace wasi_socketd::daemon {

class AttachStream final : public grpc::ServerBidiReactor<v1::ClientFrame, v1::ServerFrame>,
                           public FrameSink {
 public:
  // `session` may be null (the connection has none): the call then fails at once.
  explicit AttachStream(std::shared_ptr<Session> session);

  // FrameSink, on the sequence.
  void write(v1::ServerFrame frame) override;
  void resume_reading() override;
  void finish() override;

  // grpc::ServerBidiReactor, gRPC threads (the work is posted to the sequence).
  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone() override;

 private:
  template <class Work>
  void on_sequence(Work work);
  void finish_with(grpc::Status status);
  // Starts the next read unless the session is backlogged (then resume_reading() starts it).
  void read_next();

  std::shared_ptr<Session> session_;
  v1::ClientFrame incoming_;
  v1::ServerFrame outgoing_;
  bool attached_ = false;
  bool read_held_ = false;
  bool finished_ = false;
};

}  // namespace wasi_socketd::daemon
