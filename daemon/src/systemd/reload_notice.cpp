#include "systemd/reload_notice.h"

#include "systemd/notifier.h"

namespace wasi_socketd::systemd {

ReloadNotice::ReloadNotice(std::string_view what) : what_(what) {
  Notifier::reloading("reloading " + what_);
}

ReloadNotice::~ReloadNotice() {
  if (!finished_) finish("reload of " + what_ + " did not complete");
}

void ReloadNotice::finish(std::string_view outcome) {
  if (finished_) return;
  finished_ = true;
  Notifier::ready(outcome);
}

}  // namespace wasi_socketd::systemd
