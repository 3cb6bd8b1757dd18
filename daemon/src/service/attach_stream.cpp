#include "attach_stream.h"

#include <utility>

#include "call_admission.h"
#include "client_frame.h"

namespace wasi_socketd::daemon {

AttachStream::AttachStream(std::shared_ptr<Session> session) : session_(std::move(session)) {
  if (!session_) {
    finished_ = true;
    Finish({grpc::StatusCode::FAILED_PRECONDITION, "no session on this connection"});
    return;
  }
  if (!admit_call(*session_)) {
    finished_ = true;
    Finish(too_many_calls());
    return;
  }
  on_sequence([this] {
    if (!session_->attach(*this)) {
      finish_with(
          {grpc::StatusCode::FAILED_PRECONDITION, "the session is already attached or has ended"});
      return;
    }
    attached_ = true;
    StartRead(&incoming_);
  });
}

template <class Work>
void AttachStream::on_sequence(Work work) {
  session_->strand().post(std::move(work));
}

void AttachStream::write(v1::ServerFrame frame) {
  session_->strand().assert_on_sequence();
  if (finished_) {
    return;
  }
  outgoing_ = std::move(frame);
  StartWrite(&outgoing_);
}

void AttachStream::finish() { finish_with(grpc::Status::OK); }

void AttachStream::finish_with(grpc::Status status) {
  session_->strand().assert_on_sequence();
  if (!finished_) {
    finished_ = true;
    Finish(std::move(status));
  }
}

void AttachStream::OnReadDone(bool ok) {
  on_sequence([this, ok] {
    if (finished_) {
      return;
    }
    if (!ok) {  // the client closed its side: that ends the session
      session_->end();
      return;
    }
    apply_client_frame(*session_, incoming_);
    incoming_.Clear();
    read_next();
  });
}

void AttachStream::read_next() {
  if (finished_ || session_->ended()) {
    return;
  }
  if (session_->backlogged()) {
    read_held_ = true;
    return;
  }
  StartRead(&incoming_);
}

void AttachStream::resume_reading() {
  session_->strand().assert_on_sequence();
  if (read_held_ && !finished_) {
    read_held_ = false;
    StartRead(&incoming_);
  }
}

void AttachStream::OnWriteDone(bool ok) {
  on_sequence([this, ok] {
    if (finished_) {
      return;
    }
    if (!ok) {
      session_->end();
      return;
    }
    session_->frame_written();
  });
}

void AttachStream::OnDone() {
  if (!session_) {
    delete this;
    return;
  }
  end_call(*session_);
  on_sequence([this] {
    if (attached_) {
      session_->detach(*this);
    }
    delete this;
  });
}

}  // namespace wasi_socketd::daemon
