// What /proc says about another process — its open file descriptors and resident memory: how
// tests and benchmarks check that the daemon (or a runner) gives back what a client made it hold.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace wasi_socketd::testing {

// Entries of /proc/PID/fd right now (0 if the process is gone).
std::size_t open_fd_count(pid_t pid);

// The count once it stopped changing (equal over 100 ms; at most 5 s): a baseline. Right after
// READY=1 the daemon may still hold the socket it sent the notification through, and a client
// that just went away may not yet be noticed.
std::size_t stable_fd_count(pid_t pid);

// Polls until at most `baseline` fds are open or `timeout` passes; returns the last count.
// Closing is asynchronous in the daemon (a session ends on its strand, a socket may linger), so a
// single sample right after a client goes away would race.
std::size_t settle_fd_count(pid_t pid, std::size_t baseline,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10));

// One line per open fd, "N -> target" (socket:[inode], anon_inode:[eventfd], a path): what a test
// prints when fds were not given back, so the failure names what was left.
std::string open_fd_listing(pid_t pid);

// Whether the process holds a TCP socket (IPv4 or IPv6, any state) whose local port is `port`:
// the sockets of /proc/net/tcp{,6} with that port, matched by inode against /proc/PID/fd. Unlike
// trying to bind the port, it is not fooled by other processes' sockets on the same port (a
// connect() elsewhere may take a freed ephemeral port and leave it in TIME_WAIT for a minute).
bool holds_tcp_port(pid_t pid, std::uint16_t port);

// VmRSS of the process in bytes; -1 if it is gone.
long resident_bytes(pid_t pid);

}  // namespace wasi_socketd::testing
