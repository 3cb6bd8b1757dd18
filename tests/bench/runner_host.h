// The two hosts a guest benchmark compares: wasi-socket-run through the broker, and the same
// runner on in-process preview2-shim (--no-broker). Both are build/bin/wasi-socket-run.
#pragma once

#include <string>
#include <vector>

#include "child_process.h"

namespace wasi_socketd::bench {

struct RunnerHost {
  std::string name;                // "broker" or "shim": the prefix of FIGURE names
  std::vector<std::string> flags;  // wasi-socket-run flags choosing the host
};

using testing::ChildProcess;

// How a benchmark runs a program: stdout captured; our stdin and stderr; killed if we die.
testing::ChildProcess::Options bench_child_options();

// argv of wasi-socket-run running build/guests/<guest>.wasm with `args` on `host`.
std::vector<std::string> runner_command(const RunnerHost& host, const std::string& guest,
                                        const std::vector<std::string>& args);

}  // namespace wasi_socketd::bench
