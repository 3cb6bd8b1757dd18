#include "runner_host.h"

#include "daemon_launcher.h"

namespace wasi_socketd::bench {

std::vector<std::string> runner_command(const RunnerHost& host, const std::string& guest,
                                        const std::vector<std::string>& args) {
  std::vector<std::string> argv{own_directory() + "/wasi-socket-run"};
  argv.insert(argv.end(), host.flags.begin(), host.flags.end());
  argv.push_back(own_directory() + "/../guests/" + guest + ".wasm");
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace wasi_socketd::bench
