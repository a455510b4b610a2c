// Starts and stops a real Jupyter Server (Debian's python3-jupyter-server + python3-ipykernel) for
// the remote-runtime tests: a free port in 8890-8899 (PYLOOM_JUPYTER_PORTS=from-to to move it), a random
// token, a throwaway root and runtime dir. PYLOOM_JUPYTER_LOG=<file> keeps the server's debug log there.
//
// Test files start servers in parallel. Probing a port and then binding it leaves a gap in which
// another file's server can take it, so the bind itself is the test: the server gets --port-retries=0,
// and when it exits saying its port is taken, it is started again on a freshly probed port.
// (jupyter_server cannot be left to pick a port with --port=0: it then reports port 0 and its URL is unusable.)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface JupyterServer {
  baseUrl: string;
  token: string;
  port: number;
  root: string;
  /** How much the server has logged so far: a mark for `logged`. */
  logMark(): number;
  /** Resolves once the server logs a line matching `pattern` after `mark`. */
  logged(pattern: RegExp, mark: number): Promise<void>;
  stop(): Promise<void>;
}

export const PYTHON = process.env['PYLOOM_JUPYTER_PYTHON'] ?? '/usr/bin/python3';
const LOG = process.env['PYLOOM_JUPYTER_LOG'];
const [PORT_FROM, PORT_TO] = (process.env['PYLOOM_JUPYTER_PORTS'] ?? '8890-8899').split('-').map(Number) as [number, number];

/** Why the tests cannot run here (no jupyter_server or ipykernel), or undefined when they can. */
export function jupyterMissing(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import jupyter_server, ipykernel'], { encoding: 'utf8' });
  return probe.status === 0
    ? undefined
    : `jupyter_server/ipykernel not importable by ${PYTHON} (apt-get install python3-jupyter-server python3-ipykernel): ${(probe.stderr || String(probe.error)).trim().split('\n').pop()}`;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port in [from, to] (default: the test range) nobody listens on, skipping `taken`. */
export async function freePort(taken: number[] = [], from = PORT_FROM, to = PORT_TO): Promise<number> {
  for (let port = from; port <= to; port++) if (!taken.includes(port) && (await portFree(port))) return port;
  throw new Error(`no free port in ${from}-${to}`);
}

/**
 * A port nobody listens on, for "server down" tests: one the OS assigns from its ephemeral range,
 * released at once. The test servers bind in the test range, never there, so a test file running
 * in parallel cannot start listening on it.
 */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error(`no TCP address: ${String(address)}`)),
      );
    });
  });
}

interface StartOptions {
  allowOrigin: string;
  port?: number;
  token?: string;
  env?: Record<string, string>;
}

/** A server that exited because another process bound its port first. */
class PortTaken extends Error {}

/** How many ports a start tries when the probed free port is taken before the server binds it. */
const PORT_ATTEMPTS = 5;

/**
 * Start a server that allows `allowOrigin` (CORS and websocket origin), with `env` added to its
 * environment (its kernels inherit it: PYTHONPATH). Resolves once it logs that it is running and
 * answers api/status with the token. Without `port`, a free one in the test range; if another
 * process takes it first, another (up to 5 tries). Rejects with the server's log if it exits early.
 */
export async function startJupyter(options: StartOptions): Promise<JupyterServer> {
  const tried: number[] = [];
  for (;;) {
    const port = options.port ?? (await freePort(tried));
    try {
      return await launch(port, options);
    } catch (error) {
      if (!(error instanceof PortTaken) || options.port !== undefined || tried.length + 1 >= PORT_ATTEMPTS) throw error;
      tried.push(port);
    }
  }
}

async function launch(port: number, options: StartOptions): Promise<JupyterServer> {
  const token = options.token ?? randomBytes(16).toString('hex');
  const root = mkdtempSync(join(tmpdir(), 'pyloom-jupyter-'));
  const child: ChildProcess = spawn(
    PYTHON,
    [
      '-m',
      'jupyter_server',
      '--allow-root',
      '--no-browser',
      `--port=${port}`,
      '--port-retries=0',
      '--ip=127.0.0.1',
      `--ServerApp.token=${token}`,
      `--ServerApp.allow_origin=${options.allowOrigin}`,
      `--ServerApp.root_dir=${root}`,
      ...(LOG ? ['--debug'] : []),
    ],
    {
      env: { ...process.env, ...options.env, JUPYTER_RUNTIME_DIR: join(root, '.runtime'), IPYTHONDIR: join(root, '.ipython') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  const logWaiters = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (LOG) appendFileSync(LOG, chunk);
      for (const check of [...logWaiters]) check();
      if (/is running at:|Jupyter Server .* is running/.test(log)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      rmSync(root, { recursive: true, force: true });
      const taken = new RegExp(`port ${port} is not available|port ${port} is already in use`, 'i').test(log);
      reject(new (taken ? PortTaken : Error)(`jupyter_server exited (${code}) before it was ready:\n${log}`));
    });
  });
  const baseUrl = `http://127.0.0.1:${port}/`;
  const status = await fetch(`${baseUrl}api/status`, { headers: { Authorization: `token ${token}` } });
  if (!status.ok) {
    child.kill('SIGTERM');
    await exited;
    throw new Error(`jupyter_server on ${port} answered ${status.status}`);
  }
  return {
    baseUrl,
    token,
    port,
    root,
    logMark: () => log.length,
    logged: (pattern, mark) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!pattern.test(log.slice(mark))) return;
          logWaiters.delete(check);
          resolve();
        };
        logWaiters.add(check);
        check();
      }),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
