// Command line of wasi-socket-run. Options end at the component path; everything after it is the
// guest's.
export const USAGE = `Usage: wasi-socket-run [OPTIONS] COMPONENT.wasm [ARGS...]

Runs a WASI 0.2 command component (wasi:cli/run) under Node.js. wasi:sockets, and the wasi:io
pollables and streams sockets hand out, are served by the wasi-socketd broker; every other WASI
interface (cli, filesystem, random, clocks) by @bytecodealliance/preview2-shim. ARGS, stdin,
stdout, stderr and the exit status pass through.

Options:
  --broker PATH      use the broker listening on the Unix socket PATH
  --no-broker        serve wasi:sockets in-process with preview2-shim (no broker, no policy)
  --dir HOST[::GUEST]
                     preopen host directory HOST as GUEST (default: same path); repeatable
  --daemon PATH      wasi-socketd binary for the private broker (default: next to this program)
  --cache-dir DIR    where transpiled components are cached
                     (default: $XDG_CACHE_HOME/wasi-socketd/transpiled or ~/.cache/...)
  -h, --help         show this text

Broker: with neither --broker nor --no-broker, the broker at the default path is used
($WASI_SOCKETD_SOCKET; as root /run/wasi-socketd/wasi-socketd.sock; else
$XDG_RUNTIME_DIR/wasi-socketd.sock; else /tmp/wasi-socketd-UID.sock). If none answers there, a
private wasi-socketd with the default policy (loopback only) runs for the duration of the run and
ends with it. Components that import no wasi:sockets interface need no broker.

Exit status: the guest's own (wasi:cli/exit, or 0/1 for run's ok/err); 134 when the guest traps
(including "connection to broker lost"); 125 when the component could not be started.
`;

export class UsageError extends Error {}

export function parseOptions(argv) {
  const options = { broker: undefined, noBroker: false, dirs: [], daemon: undefined,
                    cacheDir: undefined, help: false, component: undefined, args: [] };
  let i = 0;
  const value = (name) => {
    if (i + 1 >= argv.length) throw new UsageError(`${name} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; ++i) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") options.help = true;
    else if (arg === "--broker") options.broker = value(arg);
    else if (arg === "--no-broker") options.noBroker = true;
    else if (arg === "--dir") options.dirs.push(parseDir(value(arg)));
    else if (arg === "--daemon") options.daemon = value(arg);
    else if (arg === "--cache-dir") options.cacheDir = value(arg);
    else if (arg === "--") { ++i; break; }
    else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option ${arg}`);
    else break;
  }
  if (options.help) return options;
  if (i >= argv.length) throw new UsageError("missing COMPONENT.wasm");
  if (options.broker !== undefined && options.noBroker) {
    throw new UsageError("--broker and --no-broker exclude each other");
  }
  options.component = argv[i];
  options.args = argv.slice(i + 1);
  return options;
}

function parseDir(spec) {
  const split = spec.indexOf("::");
  return split < 0 ? { host: spec, guest: spec }
                   : { host: spec.slice(0, split), guest: spec.slice(split + 2) };
}
