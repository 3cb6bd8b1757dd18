// The two tenants of the service-calls fuzzer, and an independent oracle of what each may make
// the kernel do. The oracle is deliberately coarser than the policy engine (a superset of what
// the policy allows): it only catches system calls no reading of the policy could permit.
#pragma once

#include <string>
#include <string_view>

#include "syscall_observer.h"

namespace wasi_socketd::fuzz {

// alpha (uid 1001): TCP and UDP on loopback, connects only to 127/8 ports 20000-40000, sends only
//   to 127.0.0.1 ports 20000-40000, looks up "localhost" and IP literals with connect_resolved.
//   Every sockets-ext extension, multicast groups 239.255.77.0/24 and ff05::77:0/112.
// beta (uid 1002): TCP only, on ::1; connects to [::1]:30000-30010; no UDP, no lookups; 6 sockets;
//   no extension (no setsockopt that only sockets-ext makes may happen while serving beta).
inline constexpr uid_t kAlphaUid = 1001;
inline constexpr uid_t kBetaUid = 1002;
extern const std::string_view kFuzzPolicy;

enum class Who { alpha, beta, either };

// True when `event`, made while serving `who`, is one the policy could allow.
bool oracle_allows(Who who, const SyscallEvent& event);
// True when a name may reach getaddrinfo at all (only alpha looks names up, only "localhost").
bool oracle_allows_lookup(const std::string& host);

}  // namespace wasi_socketd::fuzz
