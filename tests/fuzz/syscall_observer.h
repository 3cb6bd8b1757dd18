// Observes the network system calls the socket core makes, by interposition: this file defines
// socket, bind, connect, listen, send, sendto, sendmsg, setsockopt and getaddrinfo in the fuzzer
// executable,
// so every call the daemon's code (and the Boost.Asio code inlined into it) makes resolves here
// first; each is recorded and forwarded to the C library with dlsym(RTLD_NEXT). No daemon code is
// changed and no seccomp filter is needed; the sanitizer runtime's weak interceptors of the same
// names are simply bypassed for these nine calls.
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace wasi_socketd::fuzz {

enum class Syscall { socket, bind, connect, listen, send, sendto, sendmsg, setsockopt };

struct SyscallEvent {
  Syscall call;
  int type = 0;  // socket(), setsockopt(): SOCK_STREAM / SOCK_DGRAM (flags masked off)
  sockaddr_storage address{};  // bind/connect/sendto/sendmsg: the address passed, if any;
                               // setsockopt(*_MEMBERSHIP): the group (port 0)
  int level = 0, option = 0;   // setsockopt()
  int value = 0;               // setsockopt(): an int option's value; SO_LINGER: l_linger, or -1
                               // when off
  socklen_t address_length = 0;
  int result = 0;
  int error = 0;  // errno when result < 0
};

// "connect [::1]:30001 -> -1 errno 111", for traces and violation messages.
std::string describe(const SyscallEvent& event);

// Events of the calling thread's current recording, in order. Recording happens on the thread that
// called start_recording() only (the fuzzer's driver thread, where every socket call runs).
void start_recording();
std::vector<SyscallEvent> stop_recording();

// Told of every event as it happens, on any thread (the invariant checks; may abort).
using SyscallCheck = std::function<void(const SyscallEvent&)>;
void set_syscall_check(SyscallCheck check);

// getaddrinfo runs on the lookup pool: each call's host name goes to this check (any thread).
using LookupCheck = std::function<void(const std::string& host)>;
void set_lookup_check(LookupCheck check);
// How many getaddrinfo calls have returned.
std::size_t lookups_done();

}  // namespace wasi_socketd::fuzz
