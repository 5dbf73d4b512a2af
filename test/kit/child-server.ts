// The real `agent-notes` command as an operator runs it: `user add`, then `serve` in a child
// process on one data directory and one port, killed with SIGKILL and started again on the same
// directory, as many times as a test wants.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/bin.js', import.meta.url));
const READY = 'agent-notes is running at';
const START_TIMEOUT_MS = 20_000;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export class ServerProcess {
  #child: ChildProcess | undefined;
  /** How many times `start` saw the server come up. */
  starts = 0;
  /** Everything the running (or last) server process wrote to stdout and stderr. */
  output = '';
  /** Extra environment for `serve` (e.g. SHUTDOWN_TIMEOUT). */
  env: NodeJS.ProcessEnv = {};

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    /** The `agent-notes` entry point it runs: this tree's, or a copy's (a planted bug). */
    readonly bin: string,
  ) {}

  static async on(dataDir: string, bin = BIN): Promise<ServerProcess> {
    return new ServerProcess(dataDir, await freePort(), bin);
  }

  /** On a given port: a server started in another's place keeps its URL (and so its tokens' audience). */
  static at(dataDir: string, port: number): ServerProcess {
    return new ServerProcess(dataDir, port, BIN);
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The same as `base`, named as the in-process server names it. */
  get url(): string {
    return this.base;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  // RATE_LIMITS=off: the clients run as fast as the disk allows from one IP, which is load, not abuse.
  #env(): NodeJS.ProcessEnv {
    return { ...process.env, DATA_DIR: this.dataDir, PORT: String(this.port), HOST: '127.0.0.1', PUBLIC_URL: this.base, LOG_LEVEL: 'warn', RATE_LIMITS: 'off' };
  }

  /** `agent-notes user add <name>`, the password on standard input: how the command ended. */
  userAdd(name: string, password: string): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [this.bin, 'user', 'add', name], { env: this.#env(), input: `${password}\n`, encoding: 'utf8' });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  /** Any other `agent-notes` verb, with this server's environment (plus `env`): how it ended. */
  cli(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [this.bin, ...args], { env: { ...this.#env(), ...env }, encoding: 'utf8', ...(input === undefined ? {} : { input }) });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  /** `cli` without blocking this process: for a verb that runs while the test keeps the server busy. */
  cliAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [this.bin, ...args], { env: { ...this.#env(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
  }

  /** `userAdd`, which must succeed; only while no server runs. */
  addUser(name: string, password: string): void {
    const run = this.userAdd(name, password);
    if (run.status !== 0) throw new Error(`user add ${name} failed (${String(run.status)}):\n${run.stderr}`);
  }

  /** `agent-notes serve`; resolves once it says it is running, rejects if it exits first. */
  async start(): Promise<void> {
    if (this.running) throw new Error('the server is already running');
    const child = spawn(process.execPath, [this.bin, 'serve'], { env: { ...this.#env(), ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    this.output = '';
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
      // Both pipes stay drained for the life of the process, so a chatty server never blocks.
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        this.output += chunk.toString();
        if (output.includes(READY)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${String(code ?? signal)}) before it was running; the data directory did not load:\n${output}`));
      });
    });
    this.starts++;
  }

  /** SIGKILL: no shutdown hook, no compaction, no flush; resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** The pid of the running server process. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Sends `signal` (SIGTERM, SIGINT); resolves with how the process ended. */
  async signal(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.#child;
    if (!child || !this.running) throw new Error('the server is not running');
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.kill(signal);
    return exited;
  }

  /** Sends `signal` without waiting (a second signal follows while the first is handled). */
  send(signal: NodeJS.Signals): void {
    this.#child?.kill(signal);
  }

  /** Resolves with how the process ended, once it has. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.#child;
    if (!child || !this.running) return Promise.resolve({ code: child?.exitCode ?? null, signal: child?.signalCode ?? null });
    return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** For a test, stopping is killing: what survives a kill is what the data directory promised. */
  close(): Promise<void> {
    return this.kill();
  }
}
