// Limits of the broker protocol that both ends enforce (documented in docs/PROTOCOL.md).
#pragma once

#include <cstddef>
#include <cstdint>

namespace wasi_socketd {

inline constexpr std::uint32_t kProtocolVersion = 1;
// Largest TcpWrite item and largest TcpData item.
inline constexpr std::size_t kMaxTcpChunk = 1 << 20;
// Largest UDP payload (the WIT's datagram-too-large threshold).
inline constexpr std::size_t kMaxDatagramSize = 65535;
// Most datagrams in one Receive or Send call.
inline constexpr std::uint64_t kMaxDatagramsPerCall = 1024;
// Longest name accepted by ResolveAddresses (a DNS name is at most 253 characters).
inline constexpr std::size_t kMaxNameLength = 255;
// Largest gRPC message either end accepts (frames are coalesced below this).
inline constexpr int kMaxMessageBytes = 8 << 20;
// HTTP/2 receive window each end advertises per stream from the start (instead of 64 KiB grown by
// BDP probes): a whole coalesced frame can be on the wire without waiting for a WINDOW_UPDATE.
inline constexpr int kStreamWindowBytes = 8 << 20;

}  // namespace wasi_socketd
