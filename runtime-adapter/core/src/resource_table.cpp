#include "resource_table.h"

#include <vector>

namespace wasi_socketd::adapter {

std::uint32_t ResourceTable::push(Resource resource, std::uint32_t parent) {
  if (next_ == 0) trap("wasi-socketd: resource handles exhausted");
  if (parent != 0) entry_of(parent);  // the parent must be live
  const std::uint32_t handle = next_++;
  entries_.emplace(handle, Entry{std::move(resource), parent, {}});
  if (parent != 0) entries_.at(parent).children.insert(handle);
  return handle;
}

Resource ResourceTable::remove(std::uint32_t handle) {
  Entry& entry = entry_of(handle);
  if (!entry.children.empty()) {
    trap("wasi-socketd: resource " + std::to_string(handle) + " dropped while " +
         std::to_string(entry.children.size()) + " child resource(s) still live");
  }
  if (entry.parent != 0) entries_.at(entry.parent).children.erase(handle);
  Resource resource = std::move(entry.resource);
  entries_.erase(handle);
  return resource;
}

void ResourceTable::clear() {
  // Leaves first, until nothing is left: parents are never destroyed before their children.
  while (!entries_.empty()) {
    std::vector<std::uint32_t> leaves;
    for (const auto& [handle, entry] : entries_) {
      if (entry.children.empty()) leaves.push_back(handle);
    }
    for (std::uint32_t handle : leaves) (void)remove(handle);
  }
}

ResourceTable::Entry& ResourceTable::entry_of(std::uint32_t handle) {
  auto it = entries_.find(handle);
  if (it == entries_.end()) trap("wasi-socketd: unknown resource handle " + std::to_string(handle));
  return it->second;
}

}  // namespace wasi_socketd::adapter
