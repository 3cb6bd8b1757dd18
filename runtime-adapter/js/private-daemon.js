// A private wasi-socketd for one run, used when no broker was named and none answers at the default
// path. It listens on a socket in a fresh 0700 temporary directory with the daemon's default policy
// (the invoking user's tenant: loopback only) and ends with the run: stop() at a normal exit, and
// the kernel's parent-death signal (set by `setpriv --pdeathsig` before exec) when the runner is
// killed, even with SIGKILL. Once the run's session is open, the socket's directory is removed
// (release()): the one connection the run needs exists, and nothing is left behind in $TMPDIR even
// when the runner dies by a signal.
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const START_TIMEOUT_MS = 10_000;
const SETPRIV_CANDIDATES = ["/usr/bin/setpriv", "/bin/setpriv"];

export async function startPrivateDaemon(daemonPath) {
  if (!existsSync(daemonPath)) {
    throw new Error(`no broker is running and the daemon ${daemonPath} is not built`);
  }
  const dir = mkdtempSync(join(tmpdir(), "wasi-socket-run-"));
  const socket = join(dir, "broker.sock");
  const logPath = join(dir, "daemon.log");
  // The daemon's stderr goes to a file: a pipe would need draining by the event loop, which does
  // not run while the guest blocks.
  const log = openSync(logPath, "w");
  const daemonArgs = [daemonPath, "--listen", socket, "--log-level", "warn"];
  const setpriv = SETPRIV_CANDIDATES.find((path) => existsSync(path));
  const [command, args] = setpriv
    ? [setpriv, ["--pdeathsig", "TERM", "--", ...daemonArgs]]
    : [daemonArgs[0], daemonArgs.slice(1)];
  const child = spawn(command, args, { stdio: ["ignore", "ignore", log], detached: false });
  closeSync(log);
  let exited = null;
  child.on("exit", (code, signal) => (exited = signal ?? code));
  child.on("error", (err) => (exited = err.message));

  const release = () => rmSync(dir, { recursive: true, force: true });
  const stop = () => {
    if (exited === null) child.kill("SIGTERM");
    release();
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!existsSync(socket)) {
    if (exited !== null || Date.now() > deadline) {
      const output = existsSync(logPath) ? readFileSync(logPath, "utf8").trim() : "";
      stop();
      const why = exited !== null ? `exited (${exited})` : "did not start in time";
      throw new Error(`private wasi-socketd ${why}${output ? `: ${output}` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { socket, pid: child.pid, stop, release };
}
