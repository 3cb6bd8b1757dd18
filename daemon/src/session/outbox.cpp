#include "outbox.h"

#include <utility>

namespace wasi_socketd::daemon {

namespace {
// Tag and length prefix of one repeated field element, an upper bound.
constexpr std::size_t kItemOverhead = 6;
}  // namespace

void Outbox::push(v1::ServerItem item) {
  std::size_t bytes = item.ByteSizeLong() + kItemOverhead;
  queued_bytes_ += bytes;
  items_.push_back(Queued{std::move(item), bytes, std::chrono::steady_clock::now()});
}

void Outbox::fill(v1::ServerFrame& frame, std::size_t max_bytes) {
  std::size_t frame_bytes = 0;
  while (!items_.empty()) {
    Queued& next = items_.front();
    if (frame.items_size() > 0 && frame_bytes + next.bytes > max_bytes) {
      break;
    }
    frame_bytes += next.bytes;
    queued_bytes_ -= next.bytes;
    *frame.add_items() = std::move(next.item);
    items_.pop_front();
  }
}

std::chrono::steady_clock::duration Outbox::oldest_age() const {
  if (items_.empty()) {
    return {};
  }
  return std::chrono::steady_clock::now() - items_.front().queued_at;
}

void Outbox::append(Outbox&& later) {
  for (Queued& queued : later.items_) {
    queued_bytes_ += queued.bytes;
    items_.push_back(std::move(queued));
  }
  later.clear();
}

void Outbox::clear() {
  items_.clear();
  queued_bytes_ = 0;
}

}  // namespace wasi_socketd::daemon
