import { parseArgs } from "node:util";

// Command line of wasi-socket-run. Options end at the component path; everything after it is the
// guest's.
export const USAGE = `Usage: wasi-socket-run [OPTIONS] COMPONENT.wasm [ARGS...]

Runs a WASI 0.2 command component (wasi:cli/run) under Node.js. wasi:sockets, and the wasi:io
pollables and streams sockets hand out, are served by the wasi-socketd broker; every other WASI
interface (cli, filesystem, random, clocks) by @bytecodealliance/preview2-shim. ARGS, stdin,
stdout, stderr and the exit status pass through. The extension package
wasi-socketd:sockets-ext@0.1.0 is served by the broker too (under the tenant's policy); with
--no-broker each of its functions answers not-supported.

Options:
  --broker PATH      use the broker listening on the Unix socket PATH
  --no-broker        serve wasi:sockets in-process with preview2-shim (no broker, no policy)
  --dir HOST[::GUEST]
                     preopen host directory HOST as GUEST (default: same path); repeatable
  --daemon PATH      wasi-socketd binary for the private broker (default: next to this program)
  --cache-dir DIR    where transpiled components are cached
                     (default: $XDG_CACHE_HOME/wasi-socketd/transpiled, else a writable
                     ~/.cache/wasi-socketd/transpiled, else a private 0700 directory
                     wasi-socketd-UID/transpiled under $XDG_RUNTIME_DIR, $TMPDIR or /tmp)
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

// Read by node:util.parseArgs. Option names double as the keys of `options` below (camelCased).
const OPTIONS = {
  "broker": { type: "string" },
  "no-broker": { type: "boolean" },
  "dir": { type: "string" },
  "daemon": { type: "string" },
  "cache-dir": { type: "string" },
  "help": { type: "boolean", short: "h" },
};

export function parseOptions(argv) {
  const options = { broker: undefined, noBroker: false, dirs: [], daemon: undefined,
                    cacheDir: undefined, help: false, component: undefined, args: [] };
  // parseArgs tokenizes the whole line (--opt VALUE, --opt=VALUE, -h, --); options end at the
  // first positional (the component) or after "--", and what follows is the guest's, so the tokens
  // are read up to there rather than through parseArgs' strict mode, which would judge guest
  // arguments too and refuse option values that start with a dash.
  const { tokens } = parseArgs({ args: argv, options: OPTIONS, strict: false,
                                 allowPositionals: true, tokens: true });
  let end = argv.length;
  for (const token of tokens) {
    if (token.kind === "positional") { end = token.index; break; }
    if (token.kind === "option-terminator") { end = token.index + 1; break; }
    apply(options, token);
  }
  if (options.help) return options;
  if (end >= argv.length) throw new UsageError("missing COMPONENT.wasm");
  if (options.broker !== undefined && options.noBroker) {
    throw new UsageError("--broker and --no-broker exclude each other");
  }
  options.component = argv[end];
  options.args = argv.slice(end + 1);
  return options;
}

function apply(options, token) {
  const spec = Object.hasOwn(OPTIONS, token.name) ? OPTIONS[token.name] : undefined;
  if (spec === undefined) throw new UsageError(`unknown option ${token.rawName}`);
  if (spec.type === "string" && token.value === undefined) {
    throw new UsageError(`${token.rawName} needs a value`);
  }
  if (spec.type === "boolean" && token.value !== undefined) {
    throw new UsageError(`${token.rawName} takes no value`);
  }
  switch (token.name) {
    case "help": options.help = true; break;
    case "broker": options.broker = token.value; break;
    case "no-broker": options.noBroker = true; break;
    case "dir": options.dirs.push(parseDir(token.value)); break;
    case "daemon": options.daemon = token.value; break;
    case "cache-dir": options.cacheDir = token.value; break;
  }
}

function parseDir(spec) {
  const split = spec.indexOf("::");
  return split < 0 ? { host: spec, guest: spec }
                   : { host: spec.slice(0, split), guest: spec.slice(split + 2) };
}
