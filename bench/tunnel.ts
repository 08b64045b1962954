/**
 * The tunnel against direct loopback TCP, in one run. The tunnel path is the real one: an
 * in-cluster caller connects to the relay agent's data port (the bundled agent in its own
 * process), the agent opens an inbound stream over its Mux, the Mux rides a WebSocket with
 * pods/portforward's v4.channel.k8s.io framing (bench/tunnelWsForward.ts in its own process stands
 * in for the API server and kubelet) to the extension side (PortForwardStream + Mux), which joins
 * the stream to the local service. The agent, the forwarder and the extension side run as bundles
 * built like the shipped ones (bench/tunnelBundle.ts). Prints one JSON object on its last line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Mux } from '../src/tunnel/mux';
import { bundle } from './tunnelBundle';
import type * as ExtensionSide from './tunnelExtensionSide';

const MiB = 1024 * 1024;
const TOKEN = 'bench-token-7d1f';
const block = Buffer.alloc(64 * 1024, 0x5a);

type Connector = () => Socket;

/** The developer's local service: the first line says what to do. */
function localService(): Server {
  return createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    socket.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const nl = head.indexOf(10);
      if (nl < 0) return;
      socket.off('data', onData);
      const [mode, arg] = head.subarray(0, nl).toString().split(' ');
      const rest = head.subarray(nl + 1);
      if (mode === 'DOWN') sendBytes(socket, Number(arg)).then(() => socket.end(), () => undefined);
      else if (mode === 'UP') {
        let got = rest.length;
        const want = Number(arg);
        const done = () => socket.end('OK\n');
        if (got >= want) done();
        else
          socket.on('data', (c: Buffer) => {
            got += c.length;
            if (got >= want) done();
          });
      } else if (mode === 'ECHO') {
        if (rest.length) socket.write(rest);
        socket.pipe(socket);
      } else if (mode === 'SINK') socket.pause(); // never reads again
    };
    socket.on('data', onData);
    socket.on('end', () => socket.end());
  });
}

async function sendBytes(socket: Socket, total: number): Promise<void> {
  for (let sent = 0; sent < total; sent += block.length) {
    if (socket.destroyed) return;
    if (!socket.write(sent + block.length <= total ? block : block.subarray(0, total - sent))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      });
    }
  }
}

function connected(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** MB/s for `streams` parallel transfers of `bytes` each, downloads or uploads. */
async function throughput(connector: Connector, direction: 'down' | 'up', bytes: number, streams: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: streams }, async () => {
      const socket = await connected(connector());
      if (direction === 'down') {
        socket.write(`DOWN ${bytes}\n`);
        let got = 0;
        socket.on('data', (c: Buffer) => (got += c.length));
        await new Promise((resolve) => socket.once('end', resolve));
        if (got !== bytes) throw new Error(`download got ${got} of ${bytes} bytes`);
      } else {
        socket.write(`UP ${bytes}\n`);
        const answer = new Promise<string>((resolve) => {
          let text = '';
          socket.on('data', (c: Buffer) => (text += c.toString()));
          socket.once('end', () => resolve(text));
        });
        await sendBytes(socket, bytes);
        if ((await answer) !== 'OK\n') throw new Error('upload was not acknowledged');
      }
      socket.destroy();
    }),
  );
  return (bytes * streams) / MiB / ((performance.now() - started) / 1000);
}

/** Round-trip times of 64-byte messages on `concurrency` echo connections. */
async function echoTimes(connector: Connector, iterations: number, concurrency: number): Promise<number[]> {
  const all: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const socket = await connected(connector());
      socket.setNoDelay(true);
      socket.write('ECHO\n');
      const message = Buffer.alloc(64, 1);
      let pending = 0;
      let wake: (() => void) | undefined;
      socket.on('data', (c: Buffer) => {
        pending -= c.length;
        if (pending <= 0 && wake) wake();
      });
      for (let i = 0; i < iterations; i++) {
        const started = performance.now();
        pending = 64;
        await new Promise<void>((resolve) => {
          wake = resolve;
          socket.write(message);
        });
        if (i >= iterations / 10) all.push(performance.now() - started); // first tenth warms up
      }
      socket.destroy();
    }),
  );
  return all;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function startChild(args: string[], env: Record<string, string>, pattern: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  // TETHER_BENCH_PROF_DIR=<dir> writes a CPU profile of each child there (run the bench itself with --cpu-prof too).
  const profile = process.env.TETHER_BENCH_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TETHER_BENCH_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const match = pattern.exec(out);
      if (match) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve({ child, match });
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

/**
 * Direct and tunnel measured alternately, best of `runs` each: on a shared machine both then see
 * the same background load, which keeps their ratio meaningful.
 */
async function bestPair(runs: number, measure: (connector: Connector) => Promise<number>, direct: Connector, tunnel: Connector): Promise<{ direct: number; tunnel: number }> {
  const top = { direct: 0, tunnel: 0 };
  for (let i = 0; i < runs; i++) {
    top.direct = Math.max(top.direct, await measure(direct));
    top.tunnel = Math.max(top.tunnel, await measure(tunnel));
  }
  return top;
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'tether-bench-'));
  const children: ChildProcess[] = [];
  const local = localService();
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const localPort = (local.address() as AddressInfo).port;
  let disposeMux = () => undefined as void;
  try {
    const [agentBundle, forwardBundle, sideBundle] = await Promise.all([
      bundle('src/agent/main.ts', path.join(dir, 'relay-agent.js')),
      bundle('bench/tunnelWsForward.ts', path.join(dir, 'ws-forward.js')),
      bundle('bench/tunnelExtensionSide.ts', path.join(dir, 'extension-side.js')),
    ]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is built above
    const side = require(sideBundle) as typeof ExtensionSide;
    const agent = await startChild([agentBundle], { TETHER_TOKEN: TOKEN, TETHER_CONTROL_PORT: '0', TETHER_HEALTH_PORT: '0', TETHER_DATA_PORTS: '0' }, /control=127\.0\.0\.1:(\d+) data=(\d+)/);
    children.push(agent.child);
    const forward = await startChild([forwardBundle], { TETHER_BENCH_TARGET_PORT: agent.match[1] }, /listening (\d+)/);
    children.push(forward.child);
    const dataPort = Number(agent.match[2]);

    const connectedMux = await side.connectOverPortForward(Number(forward.match[1]), TOKEN, localPort);
    let mux: Mux = connectedMux;
    disposeMux = () => mux.dispose();

    const direct: Connector = () => connect({ host: '127.0.0.1', port: localPort, noDelay: true });
    const tunnel: Connector = () => connect({ host: '127.0.0.1', port: dataPort, noDelay: true });

    const one = 192 * MiB;
    const eight = 24 * MiB;
    const runs = 3;
    const down = await bestPair(runs, (c) => throughput(c, 'down', one, 1), direct, tunnel);
    const up = await bestPair(runs, (c) => throughput(c, 'up', one, 1), direct, tunnel);
    const down8 = await bestPair(runs, (c) => throughput(c, 'down', eight, 8), direct, tunnel);
    const up8 = await bestPair(runs, (c) => throughput(c, 'up', eight, 8), direct, tunnel);
    const d = { down: down.direct, up: up.direct, down8: down8.direct, up8: up8.direct };
    const t = { down: down.tunnel, up: up.tunnel, down8: down8.tunnel, up8: up8.tunnel };

    const directEcho = await echoTimes(direct, 2000, 1);
    const tunnelEcho = await echoTimes(tunnel, 2000, 1);
    const directEcho16 = await echoTimes(direct, 300, 16);
    const tunnelEcho16 = await echoTimes(tunnel, 300, 16);

    const opens: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      const s = await connectedMux.open({ kind: 'dial', host: '127.0.0.1', port: localPort });
      opens.push(performance.now() - started);
      s.resume();
      s.end();
    }

    // Head-of-line: one caller pushes 300 MB at a local handler that never reads, four others echo.
    const rssNow = () => process.memoryUsage().rss + rssOf(agent.child.pid);
    const rssBefore = rssNow();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssNow())), 20);
    const sink = await connected(tunnel());
    sink.on('error', () => undefined);
    sink.write('SINK\n');
    const pushing = sendBytes(sink, 300 * MiB);
    await new Promise((r) => setTimeout(r, 200));
    const holTimes = await echoTimes(tunnel, 400, 4);
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, rssNow());
    sink.destroy();
    await pushing;
    const rttMs = connectedMux.stats.rttMs ?? -1;

    // The relay alone: the extension's Mux straight over TCP to the agent's control port, no
    // WebSocket hop. The agent hands inbound streams to this newer connection (the reconnect case).
    const replaced = new Promise<void>((resolve) => connectedMux.onClose(() => resolve()));
    mux = await side.connectOverTcp(Number(agent.match[1]), TOKEN, localPort);
    await replaced;
    const rawDown = await bestPair(2, (c) => throughput(c, 'down', one, 1), direct, tunnel);
    const rawUp = await bestPair(2, (c) => throughput(c, 'up', one, 1), direct, tunnel);

    const round = (n: number, digits = 3) => Number(n.toFixed(digits));
    const result = {
      upRatio: round(t.up / d.up),
      downRatio: round(t.down / d.down),
      upRatio8: round(t.up8 / d.up8),
      downRatio8: round(t.down8 / d.down8),
      p50AddedMs: round(percentile(tunnelEcho, 50) - percentile(directEcho, 50)),
      p99AddedMs: round(percentile(tunnelEcho, 99) - percentile(directEcho, 99)),
      p50AddedMs16: round(percentile(tunnelEcho16, 50) - percentile(directEcho16, 50)),
      openStreamMs: round(percentile(opens, 50)),
      holOtherP99Ms: round(percentile(holTimes, 99)),
      holExtraMB: round((rssPeak - rssBefore) / MiB, 1),
      rssMB: round(process.memoryUsage().rss / MiB, 1),
      agentRssMB: round(rssOf(agent.child.pid) / MiB, 1),
      directMBps: { down: round(d.down, 0), up: round(d.up, 0), down8: round(d.down8, 0), up8: round(d.up8, 0) },
      tunnelMBps: { down: round(t.down, 0), up: round(t.up, 0), down8: round(t.down8, 0), up8: round(t.up8, 0) },
      echoMs: {
        directP50: round(percentile(directEcho, 50)),
        tunnelP50: round(percentile(tunnelEcho, 50)),
        directP99: round(percentile(directEcho, 99)),
        tunnelP99: round(percentile(tunnelEcho, 99)),
      },
      relayOnly: {
        upRatio: round(rawUp.tunnel / rawUp.direct),
        downRatio: round(rawDown.tunnel / rawDown.direct),
        upMBps: round(rawUp.tunnel, 0),
        downMBps: round(rawDown.tunnel, 0),
      },
      rttMs: round(rttMs),
      durationS: round((performance.now() - benchStarted) / 1000, 1),
    };
    console.log(JSON.stringify(result));
  } finally {
    disposeMux();
    for (const child of children) child.kill('SIGTERM');
    local.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
