#include "address_aggregation.h"

#include <map>

#include "policy/address_class.h"
#include "policy/cidr.h"

namespace wasi_socketd::daemon::ctl {
namespace {

using Bits = std::array<unsigned char, 16>;

struct Block {
  unsigned width = 0;  // 32 or 128: IPv4 blocks sort first
  Bits bits{};         // network address, left-aligned in 16 bytes
  unsigned prefix = 0;
  auto operator<=>(const Block&) const = default;
};

Block exact(const boost::asio::ip::address& address) {
  Block block;
  if (address.is_v4()) {
    const auto v4 = address.to_v4().to_bytes();
    std::copy(v4.begin(), v4.end(), block.bits.begin());
    block.width = block.prefix = 32;
  } else {
    block.bits = address.to_v6().to_bytes();
    block.width = block.prefix = 128;
  }
  return block;
}

bool bit(const Bits& bits, unsigned index) { return (bits[index / 8] >> (7 - index % 8)) & 1; }
void flip(Bits& bits, unsigned index) {
  bits[index / 8] = static_cast<unsigned char>(bits[index / 8] ^ (1 << (7 - index % 8)));
}

std::string format(const Block& block) {
  const boost::asio::ip::address network =
      block.width == 32 ? boost::asio::ip::address(boost::asio::ip::address_v4(
                              {block.bits[0], block.bits[1], block.bits[2], block.bits[3]}))
                        : boost::asio::ip::address(boost::asio::ip::address_v6(block.bits));
  if (block.prefix == block.width) return network.to_string();
  return network.to_string() + "/" + std::to_string(block.prefix);
}

}  // namespace

std::vector<std::string> aggregate_addresses(const std::set<boost::asio::ip::address>& addresses) {
  std::set<Block> mergeable;
  std::set<Block> alone;
  for (const auto& raw : addresses) {
    const auto address = policy::unmap_v4(raw);
    (policy::protected_range(address) ? alone : mergeable).insert(exact(address));
  }
  // Two sibling blocks are exactly their parent (whose bits are the lower sibling's): merge level
  // by level, longest prefix first, so a parent made at one level can merge at the next.
  for (const unsigned width : {32u, 128u}) {
    for (unsigned prefix = width; prefix > 0; --prefix) {
      std::set<Block> level;
      for (const Block& block : mergeable) {
        if (block.width == width && block.prefix == prefix) level.insert(block);
      }
      for (const Block& block : level) {
        if (bit(block.bits, prefix - 1)) continue;  // the upper sibling: met from the lower one
        Block sibling = block;
        flip(sibling.bits, prefix - 1);
        if (!level.contains(sibling)) continue;
        mergeable.erase(block);
        mergeable.erase(sibling);
        Block parent = block;
        parent.prefix = prefix - 1;
        mergeable.insert(parent);
      }
    }
  }
  mergeable.insert(alone.begin(), alone.end());
  std::vector<std::string> out;
  for (const Block& block : mergeable) out.push_back(format(block));
  return out;
}

std::vector<std::string> aggregate_ports(const std::set<uint16_t>& ports) {
  std::vector<std::string> out;
  for (auto it = ports.begin(); it != ports.end();) {
    const uint16_t first = *it;
    uint16_t last = first;
    while (++it != ports.end() && *it == last + 1) last = *it;
    out.push_back(first == last ? std::to_string(first)
                                : std::to_string(first) + "-" + std::to_string(last));
  }
  return out;
}

}  // namespace wasi_socketd::daemon::ctl
