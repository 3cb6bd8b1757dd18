// Brackets a configuration reload for the service manager: RELOADING=1 when it starts, READY=1
// with the outcome as STATUS= when it ends — also when it ends by an exception, so systemd never
// waits for a reload that is over. The policy reload (SIGHUP, `wasi-socketctl policy reload`)
// wraps its work in one of these.
//
// One thread: create and finish on the thread doing the reload.
#pragma once

#include <string>
#include <string_view>

namespace wasi_socketd::systemd {

class ReloadNotice {
 public:
  explicit ReloadNotice(std::string_view what);
  ~ReloadNotice();
  ReloadNotice(const ReloadNotice&) = delete;
  ReloadNotice& operator=(const ReloadNotice&) = delete;

  // READY=1 with STATUS=`outcome`, e.g. "policy reloaded (generation 3)" or the rejection.
  void finish(std::string_view outcome);

 private:
  std::string what_;
  bool finished_ = false;
};

}  // namespace wasi_socketd::systemd
