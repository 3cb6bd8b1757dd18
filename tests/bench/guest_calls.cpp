#include "guest_calls.h"

#include <sys/wait.h>

#include <regex>
#include <stdexcept>

#include "child_process.h"
#include "runner_host.h"

namespace wasi_socketd::bench {

std::map<std::string, double> guest_call_ns(const RunnerHost& host, int calls, int connects) {
  ChildProcess guest(
      runner_command(host, "tcp_calls", {std::to_string(calls), std::to_string(connects)}), bench_child_options());
  const std::string output = guest.read_rest();
  const int status = guest.wait_for_exit();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(host.name + " tcp_calls failed: " + output);
  }
  std::map<std::string, double> ns;
  const std::regex line(R"(op=(\w+) ns=([0-9.]+))");
  for (std::sregex_iterator it(output.begin(), output.end(), line), end; it != end; ++it) {
    ns[(*it)[1]] = std::stod((*it)[2]);
  }
  auto require = [&](const char* op) {
    if (!ns.contains(op)) throw std::runtime_error(host.name + " tcp_calls did not time " + op);
  };
  for (const char* op : kGuestControlOps) require(op);
  for (const char* op : kGuestLocalOps) require(op);
  return ns;
}

}  // namespace wasi_socketd::bench
