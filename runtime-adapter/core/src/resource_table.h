// ResourceTable: one guest's handles (uint32, 0 never valid, never reused) to typed resources,
// with parent/child links so that a parent cannot be dropped while a child lives.
//
// Every misuse (unknown handle, wrong kind, dropping a parent) is a Trap. Guest thread only.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>

#include "resources.h"
#include "trap.h"

namespace wasi_socketd::adapter {

class ResourceTable {
 public:
  // Adds a resource; `parent` (0: none) must be live and gains it as a child.
  std::uint32_t push(Resource resource, std::uint32_t parent = 0);

  template <typename T>
  T& get(std::uint32_t handle) {
    Entry& entry = entry_of(handle);
    T* typed = std::get_if<T>(&entry.resource);
    if (typed == nullptr) {
      trap("wasi-socketd: handle " + std::to_string(handle) + " is not a " + T::kName);
    }
    return *typed;
  }

  template <typename T>
  bool holds(std::uint32_t handle) const {
    auto it = entries_.find(handle);
    return it != entries_.end() && std::holds_alternative<T>(it->second.resource);
  }

  const std::set<std::uint32_t>& children(std::uint32_t handle) {
    return entry_of(handle).children;
  }

  // Removes and returns the resource: traps if it is unknown or still has children.
  Resource remove(std::uint32_t handle);

  // Destroys everything, children before parents (host shutdown).
  void clear();

 private:
  struct Entry {
    Resource resource;
    std::uint32_t parent = 0;
    std::set<std::uint32_t> children;
  };
  Entry& entry_of(std::uint32_t handle);

  std::unordered_map<std::uint32_t, Entry> entries_;
  std::uint32_t next_ = 1;
};

}  // namespace wasi_socketd::adapter
