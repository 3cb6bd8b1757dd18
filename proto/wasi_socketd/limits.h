// Limits of the broker protocol that both ends enforce (documented in docs/PROTOCOL.md).
#pragma once

#include <chrono>
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
// Calls (HTTP/2 streams) one client connection may have open at once; the daemon advertises it in
// its SETTINGS and refuses streams beyond it (docs/SECURITY.md "HTTP/2 connections"). The client
// library needs one for Attach plus one per concurrent unary call.
inline constexpr int kMaxConcurrentStreams = 64;
// A client connection must open its session (Session.Attach) this soon after the daemon accepted
// it, or it is closed (docs/SECURITY.md "Idle connections"): connections that never speak cannot
// hold the daemon's fds. The client library attaches as soon as it connects.
inline constexpr std::chrono::seconds kAttachDeadline{10};

}  // namespace wasi_socketd
