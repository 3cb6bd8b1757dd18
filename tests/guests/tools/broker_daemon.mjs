// A private wasi-socketd for one test: `wasi-socketd --listen DIR/broker.sock [--policy FILE]` in
// a fresh temporary directory. Started through setpriv --pdeathsig TERM where available, so the
// kernel ends the daemon if the test process dies first (a CTest timeout, ^C): no broker outlives
// its test. setpriv execs the daemon, so `pid` is the daemon's own.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const START_TIMEOUT_MS = 10_000;

export async function startDaemon(daemonBin, { policy, extraArgs = [] } = {}) {
  if (!daemonBin || !existsSync(daemonBin)) throw new Error(`${daemonBin ?? "--daemon"} is not built`);
  const dir = mkdtempSync(join(tmpdir(), "wasi-socketd-guest-"));
  const socket = join(dir, "broker.sock");
  const daemonArgs = ["--listen", socket, ...(policy ? ["--policy", resolve(policy)] : []), ...extraArgs];
  const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((path) => existsSync(path));
  const [command, args] = setpriv
    ? [setpriv, ["--pdeathsig", "TERM", "--", daemonBin, ...daemonArgs]]
    : [daemonBin, daemonArgs];
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  const daemon = {
    socket,
    pid: child.pid,
    child,
    log: "",
    exited: () => child.exitCode !== null || child.signalCode !== null,
    // Open descriptors of the daemon process, from /proc.
    fdCount: () => readdirSync(`/proc/${child.pid}/fd`).length,
    stop() {
      child.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
  child.stderr.on("data", (d) => (daemon.log += d));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!existsSync(socket)) {
    if (daemon.exited()) {
      daemon.stop();
      throw new Error(`wasi-socketd exited with status ${child.exitCode}: ${daemon.log}`);
    }
    if (Date.now() > deadline) {
      daemon.stop();
      throw new Error(`wasi-socketd did not create ${socket}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return daemon;
}
