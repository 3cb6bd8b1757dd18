#include "resource_table.h"

#include <utility>

namespace wasi_socketd::daemon {

std::optional<std::uint64_t> ResourceTable::new_socket_id() {
  if (resources_.size() + lingering_->load() >= quota_) {
    return std::nullopt;
  }
  return ids_.next();
}

std::shared_ptr<void> ResourceTable::linger_slot() {
  struct Slot {
    explicit Slot(std::shared_ptr<std::atomic<std::size_t>> counter) : count(std::move(counter)) {
      count->fetch_add(1);
    }
    ~Slot() { count->fetch_sub(1); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    std::shared_ptr<std::atomic<std::size_t>> count;
  };
  return std::make_shared<Slot>(lingering_);
}

void ResourceTable::touch(std::uint64_t id) const {
  const bool first = touched_.empty();
  touched_.insert(id);
  if (first && on_touched_) on_touched_();
}

void ResourceTable::insert(std::uint64_t id, std::unique_ptr<SessionResource> resource) {
  resources_.emplace(id, std::move(resource));
  touch(id);
}

std::unique_ptr<SessionResource> ResourceTable::take(std::uint64_t id) {
  auto found = resources_.find(id);
  if (found == resources_.end()) {
    return nullptr;
  }
  std::unique_ptr<SessionResource> resource = std::move(found->second);
  resources_.erase(found);
  touch(id);
  return resource;
}

void ResourceTable::close_all() {
  // Close first, free after: a resource's close() must not observe a half-destroyed table.
  std::unordered_map<std::uint64_t, std::unique_ptr<SessionResource>> closing;
  closing.swap(resources_);
  for (auto& [id, resource] : closing) {
    resource->close();
    touch(id);
  }
}

}  // namespace wasi_socketd::daemon
