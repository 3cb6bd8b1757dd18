// Where the broker listens unless told otherwise; the daemon and every client agree on it.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace wasi_socketd {

// $WASI_SOCKETD_SOCKET if set; else /run/wasi-socketd/wasi-socketd.sock for root;
// else $XDG_RUNTIME_DIR/wasi-socketd.sock; else /tmp/wasi-socketd-<uid>.sock.
std::string default_socket_path();

// Why `user` must not trust the socket file at `path` to be a broker, or nullopt when it may: a
// socket owned by `user` or root, or one of another account in a directory that belongs to root,
// `user` or that account and that no one else may write to (the packaged daemon's
// /run/wasi-socketd, owned by wasi-socketd). A directory where others may create files is the
// case refused: the /tmp fallback above is a name any local user can take first (the sticky bit
// stops only removal), and whoever listens there serves every socket of the guest.
std::optional<std::string> untrusted_socket_reason(const std::string& path, uid_t user);

// untrusted_socket_reason(default_socket_path(), geteuid()), except that a path the user named in
// $WASI_SOCKETD_SOCKET is the user's choice, like an explicit path, and is not second-guessed.
std::optional<std::string> untrusted_default_socket_reason();

}  // namespace wasi_socketd
