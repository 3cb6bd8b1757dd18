// The executor every core object lives on: its session's strand.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

namespace wasi_socketd::sockets {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

}  // namespace wasi_socketd::sockets
