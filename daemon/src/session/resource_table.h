// The resources of one session, by id. Lookups are typed: an id of another kind, an unknown id, or
// an id of another session (which can never be in this table) all find nothing.
// Every id looked up (except for stream data), inserted or taken is recorded as touched (its admin
// summary may have changed); the session republishes those (session.h, summary()).
// Not thread-safe: owned by a Session, used on its strand only.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "resource_ids.h"
#include "session_resource.h"

namespace wasi_socketd::daemon {

class ResourceTable {
 public:
  explicit ResourceTable(std::size_t quota) : quota_(quota) {}

  // A fresh id for a new socket, or nullopt when the quota is used up. Call insert() with it
  // before the work running on the session's sequence returns (the quota counts stored resources
  // and lingering slots).
  std::optional<std::uint64_t> new_socket_id();
  void insert(std::uint64_t id, std::unique_ptr<SessionResource> resource);

  template <class T>
  T* find(std::uint64_t id) const {
    T* typed = lookup<T>(id);
    if (typed != nullptr) touch(id);
    return typed;
  }
  // The same lookup for a stream's bytes (writes, read credit, data sent): they change nothing the
  // admin summary shows, so they are not recorded as touched and cost the data path no summary.
  template <class T>
  T* find_for_data(std::uint64_t id) const {
    return lookup<T>(id);
  }

  // The resource `id` without recording a touch (for publishing summaries); null if unknown.
  const SessionResource* peek(std::uint64_t id) const {
    auto found = resources_.find(id);
    return found == resources_.end() ? nullptr : found->second.get();
  }
  // Records that `id` may have changed; the first touch after take_touched() calls the callback
  // given to on_touched().
  void touch(std::uint64_t id) const;
  void on_touched(std::function<void()> callback) { on_touched_ = std::move(callback); }
  std::unordered_set<std::uint64_t> take_touched() { return std::exchange(touched_, {}); }

  // Removes `id` from the table and hands the resource to the caller (null if unknown).
  std::unique_ptr<SessionResource> take(std::uint64_t id);
  // Closes and frees every resource (the session ends).
  void close_all();
  std::size_t size() const { return resources_.size(); }
  // A slot of the quota for a dropped socket whose kernel socket still lingers, taken until the
  // returned token dies (it may outlive the table: the socket closes when it closes).
  std::shared_ptr<void> linger_slot();
  std::size_t lingering() const { return lingering_->load(); }
  // Calls visit(id, resource) for every resource, in no particular order.
  template <class Visitor>
  void for_each(Visitor&& visit) const {
    for (const auto& [id, resource] : resources_) visit(id, *resource);
  }
  // A fresh id for things that are not sockets (the network resource); not counted by the quota.
  std::uint64_t next_id() { return ids_.next(); }

 private:
  template <class T>
  T* lookup(std::uint64_t id) const {
    auto found = resources_.find(id);
    return found == resources_.end() ? nullptr : dynamic_cast<T*>(found->second.get());
  }

  std::size_t quota_;
  std::shared_ptr<std::atomic<std::size_t>> lingering_ =
      std::make_shared<std::atomic<std::size_t>>(0);
  ResourceIds ids_;
  std::unordered_map<std::uint64_t, std::unique_ptr<SessionResource>> resources_;
  mutable std::unordered_set<std::uint64_t> touched_;
  std::function<void()> on_touched_;
};

}  // namespace wasi_socketd::daemon
