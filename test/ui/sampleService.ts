/**
 * The sample workspace's service running on this computer, as `npm run demo` runs it: a copy of
 * sample/ in a temporary folder (so edits never touch the repository) and `node --watch` on its
 * src/server.js, which restarts on every save. Port 3000 when free, else a free port written into
 * the copy's tether.yaml. One owner: stop() ends the process group and removes the copy, also when
 * the UI run exits early.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fetchText } from '../fetchText';

const SAMPLE = resolve(__dirname, '..', '..', 'sample');
const DEFAULT_PORT = 3000;

/** Resolves to `port` when nothing listens on it, else to a port the system picks. */
function portToUse(port: number): Promise<number> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => {
      const other = createServer();
      other.listen(0, () => {
        const picked = (other.address() as { port: number }).port;
        other.close(() => done(picked));
      });
    });
    probe.listen(port, () => probe.close(() => done(port)));
  });
}


export class SampleService {
  private output = '';
  private stopped = false;
  private readonly onExit = () => this.stop();

  private constructor(readonly folder: string, readonly port: number, private readonly child: ChildProcess) {
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4000)));
    child.on('error', (err) => (this.output += `\n${err.message}`));
    process.once('exit', this.onExit);
  }

  /** Copies the sample, starts its service and waits until it answers on /healthz. */
  static async start(): Promise<SampleService> {
    const folder = mkdtempSync(join(tmpdir(), 'tether-ui-sample-'));
    let service: SampleService | undefined;
    try {
      cpSync(SAMPLE, folder, { recursive: true });
      const port = await portToUse(DEFAULT_PORT);
      if (port !== DEFAULT_PORT) {
        const spec = join(folder, 'tether.yaml');
        writeFileSync(spec, readFileSync(spec, 'utf8').replace(`localPort: ${DEFAULT_PORT}`, `localPort: ${port}`));
      }
      // HOSTNAME is what the service reports as `servedBy`; unset, it says "local".
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
      delete env.HOSTNAME;
      const child = spawn(process.execPath, ['--watch', join('src', 'server.js')], { cwd: folder, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      service = new SampleService(folder, port, child);
      await service.waitForResponse('/healthz', /"ok":true/);
      return service;
    } catch (err) {
      if (service) service.stop();
      else rmSync(folder, { recursive: true, force: true });
      throw err;
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Polls `path` until its body matches `pattern` (e.g. after a restart); returns the body. */
  async waitForResponse(path: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`the sample service exited: ${this.output.trim()}`);
      last = await fetchText(`${this.url}${path}`).catch((err: Error) => err.message);
      if (pattern.test(last)) return last;
      if (Date.now() > deadline) throw new Error(`${this.url}${path} answered "${last.slice(0, 200)}", never matching ${pattern}; service output: ${this.output.trim()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Ends the service (its whole process group) and removes the copy; safe to call twice. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    process.off('exit', this.onExit);
    if (this.child.pid && this.child.exitCode === null && this.child.signalCode === null) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(this.folder, { recursive: true, force: true });
  }
}
