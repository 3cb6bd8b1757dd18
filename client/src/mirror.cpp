#include "wasi_socketd/client/mirror.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "proto_convert.h"

namespace wasi_socketd::client {

namespace {
// Consumed read-ahead is cut off the front of the buffer once it is this large.
constexpr std::size_t kCompactThreshold = 256 * 1024;
}  // namespace

std::uint64_t TcpStreamState::write_room() const {
  if (output_ended || output_shut || flush_target > acked) return 0;
  const std::uint64_t in_flight = sent - acked;
  return write_permit > in_flight ? write_permit - in_flight : 0;
}

std::uint64_t TcpStreamState::consume(std::uint8_t* out, std::uint64_t n) {
  const std::uint64_t k = std::min(n, buffered());
  if (out != nullptr && k > 0) std::memcpy(out, read_buffer.data() + read_pos, k);
  read_pos += k;
  uncredited += k;
  if (read_pos == read_buffer.size()) {
    read_buffer.clear();
    read_pos = 0;
  } else if (read_pos >= kCompactThreshold) {
    read_buffer.erase(0, read_pos);
    read_pos = 0;
  }
  return k;
}

std::uint64_t TcpStreamState::take_due_credit() {
  // Batched: one ReadCredit per quarter window keeps the daemon reading without a frame per read.
  const std::uint64_t threshold = std::max<std::uint64_t>(1, read_window / 4);
  if (uncredited < threshold) return 0;
  return std::exchange(uncredited, 0);
}

void Mirror::apply(const v1::ServerItem& item) {
  switch (item.item_case()) {
    case v1::ServerItem::kOpened:
      opened_ = item.opened();
      break;
    case v1::ServerItem::kReadiness: {
      const auto& r = item.readiness();
      if (r.kind() >= v1::READINESS_KIND_CONNECT && r.kind() <= v1::READINESS_KIND_RECEIVE) {
        update_readiness(r.resource_id(), static_cast<ReadinessKind>(r.kind()), r.ready(),
                         r.version());
      }
      break;
    }
    case v1::ServerItem::kTcpData:
      if (auto* s = tcp(item.tcp_data().socket_id())) s->read_buffer += item.tcp_data().data();
      break;
    case v1::ServerItem::kWriteAck:
      if (auto* s = tcp(item.write_ack().socket_id())) {
        s->acked = std::min(s->sent, s->acked + item.write_ack().bytes());
      }
      break;
    case v1::ServerItem::kStreamEnd: {
      const auto& end = item.stream_end();
      auto* s = tcp(end.socket_id());
      if (s == nullptr) break;
      std::optional<ErrorCode> error;
      if (end.error() != v1::ERROR_CODE_UNSPECIFIED) error = detail::from_proto(end.error());
      if (end.direction() == v1::STREAM_DIRECTION_INPUT && !s->input_ended) {
        s->input_ended = true;
        s->input_error = error;
      } else if (end.direction() == v1::STREAM_DIRECTION_OUTPUT && !s->output_ended) {
        s->output_ended = true;
        s->output_error = error;
      }
      break;
    }
    case v1::ServerItem::ITEM_NOT_SET:
      break;
  }
}

void Mirror::update_readiness(std::uint64_t id, ReadinessKind kind, bool ready,
                              std::uint64_t version) {
  ++entries_visited_;
  if (forgotten_.contains(id)) return;
  Level& level = readiness_[{id, kind}];
  if (version < level.version) return;
  level = {ready, version};
}

bool Mirror::ready(std::uint64_t id, ReadinessKind kind) const {
  ++entries_visited_;
  auto it = readiness_.find({id, kind});
  return it != readiness_.end() && it->second.ready;
}

TcpStreamState* Mirror::tcp(std::uint64_t socket_id) {
  ++entries_visited_;
  if (forgotten_.contains(socket_id)) return nullptr;
  return &tcp_[socket_id];
}

const TcpStreamState* Mirror::find_tcp(std::uint64_t socket_id) const {
  ++entries_visited_;
  auto it = tcp_.find(socket_id);
  return it == tcp_.end() ? nullptr : &it->second;
}

SocketView* Mirror::view(std::uint64_t socket_id) {
  ++entries_visited_;
  auto it = views_.find(socket_id);
  return it == views_.end() ? nullptr : &it->second;
}

const SocketView* Mirror::find_view(std::uint64_t socket_id) const {
  ++entries_visited_;
  auto it = views_.find(socket_id);
  return it == views_.end() ? nullptr : &it->second;
}

void Mirror::forget(std::uint64_t id) {
  if (forgotten_.insert(id).second) {
    forgotten_order_.push_back(id);
    if (forgotten_order_.size() > kRememberedDrops) {
      forgotten_.erase(forgotten_order_.front());
      forgotten_order_.pop_front();
    }
  }
  tcp_.erase(id);
  views_.erase(id);
  for (auto kind : {ReadinessKind::kConnect, ReadinessKind::kAccept, ReadinessKind::kReceive}) {
    readiness_.erase({id, kind});
  }
}

void Mirror::mark_dead(std::string reason) {
  if (dead_) return;
  dead_ = true;
  death_reason_ = std::move(reason);
}

}  // namespace wasi_socketd::client
