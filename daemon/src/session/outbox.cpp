#include "outbox.h"

#include <utility>

namespace wasi_socketd::daemon {

namespace {
// Tag and length prefix of one repeated field element, an upper bound.
constexpr std::size_t kItemOverhead = 6;

std::size_t wire_bytes(const v1::ServerItem& item) { return item.ByteSizeLong() + kItemOverhead; }
}  // namespace

void Outbox::push(v1::ServerItem item) {
  if (item.has_write_ack() && merge_ack(item.write_ack())) {
    return;
  }
  const std::size_t bytes = wire_bytes(item);
  queued_bytes_ += bytes;
  items_.push_back(Queued{std::move(item), bytes, std::chrono::steady_clock::now()});
  if (items_.back().item.has_write_ack()) {
    queued_acks_[items_.back().item.write_ack().socket_id()] = &items_.back();
  }
}

bool Outbox::merge_ack(const v1::TcpWriteAck& ack) {
  const auto queued = queued_acks_.find(ack.socket_id());
  if (queued == queued_acks_.end()) {
    return false;
  }
  Queued& merged = *queued->second;
  v1::TcpWriteAck* into = merged.item.mutable_write_ack();
  into->set_bytes(into->bytes() + ack.bytes());
  queued_bytes_ -= merged.bytes;
  merged.bytes = wire_bytes(merged.item);
  queued_bytes_ += merged.bytes;
  return true;
}

void Outbox::forget_ack(const v1::ServerItem& item) {
  if (item.has_write_ack()) {
    queued_acks_.erase(item.write_ack().socket_id());
  }
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
    forget_ack(next.item);
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

std::chrono::steady_clock::time_point Outbox::oldest_queued_at() const {
  return items_.empty() ? std::chrono::steady_clock::time_point{} : items_.front().queued_at;
}

void Outbox::append(Outbox&& later) {
  for (Queued& queued : later.items_) {
    queued_bytes_ += queued.bytes;
    items_.push_back(std::move(queued));
    if (items_.back().item.has_write_ack()) {
      queued_acks_[items_.back().item.write_ack().socket_id()] = &items_.back();
    }
  }
  later.clear();
}

void Outbox::clear() {
  items_.clear();
  queued_acks_.clear();
  queued_bytes_ = 0;
}

}  // namespace wasi_socketd::daemon
