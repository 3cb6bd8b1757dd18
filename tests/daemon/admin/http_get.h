// A minimal HTTP exchange for tests: send `request` to 127.0.0.1:port, return all of the reply.
#pragma once

#include <string>

namespace wasi_socketd::testing {

std::string http_exchange(unsigned short port, const std::string& request);

}  // namespace wasi_socketd::testing
