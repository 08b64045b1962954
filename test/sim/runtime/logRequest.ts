/**
 * GET /api/v1/namespaces/NS/pods/NAME/log: container, follow, previous, timestamps, tailLines,
 * sinceSeconds, sinceTime, limitBytes, with the kube-apiserver's 400 answers. A pod no node runs
 * yet answers with an empty log, as the API server does; the run a request reads is chosen from the
 * Pod's status as the kubelet chooses it (logSelection.ts).
 */
import type { ServerResponse } from 'node:http';
import type { SubresourceRequest } from '../contracts';
import { badRequest, type Status } from '../status';
import { LogInstance, formatTimestamp, type LogEntry, type LogStore } from './logStore';
import { selectLogRun } from './logSelection';
import { podSpecOf } from './podSpec';

interface LogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceNs?: bigint;
  limitBytes?: number;
}

class LogRequestError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

function fail(message: string): never {
  throw new LogRequestError(badRequest(message).status);
}

function integer(url: URL, name: string, min: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) fail(`${name}: Invalid value: "${raw}": must be an integer greater than or equal to ${min}`);
  return value;
}

function flag(url: URL, name: string): boolean {
  const raw = url.searchParams.get(name);
  return raw === 'true' || raw === '1';
}

function parseOptions(request: SubresourceRequest, nowNs: bigint): LogOptions {
  const { url, pod } = request;
  const names = podSpecOf(pod).containers.map((c) => c.name);
  let container = url.searchParams.get('container') ?? '';
  if (!container) {
    if (names.length !== 1) fail(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
    container = names[0];
  } else if (!names.includes(container)) {
    fail(`container ${container} is not valid for pod ${pod.metadata.name}`);
  }
  const sinceSeconds = integer(url, 'sinceSeconds', 1);
  const sinceTime = url.searchParams.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) fail('at most one of `sinceTime` or `sinceSeconds` may be specified');
  let sinceNs: bigint | undefined;
  if (sinceSeconds !== undefined) sinceNs = nowNs - BigInt(sinceSeconds) * 1_000_000_000n;
  if (sinceTime) {
    const ms = Date.parse(sinceTime);
    if (Number.isNaN(ms)) fail(`sinceTime: Invalid value: "${sinceTime}": must be an RFC3339 time`);
    sinceNs = BigInt(ms) * 1_000_000n;
  }
  return {
    container,
    follow: flag(url, 'follow'),
    previous: flag(url, 'previous'),
    timestamps: flag(url, 'timestamps'),
    tailLines: integer(url, 'tailLines', 0),
    sinceNs,
    limitBytes: integer(url, 'limitBytes', 1),
  };
}

/** The run to read; a run the runtime does not hold (a status it did not write) reads as empty. */
function pickInstance(store: LogStore, request: SubresourceRequest, options: LogOptions): LogInstance {
  const pod = request.pod.metadata.name;
  const selection = selectLogRun(request.pod, options.container, options.previous);
  if ('refused' in selection) fail(selection.refused);
  return store.run(request.namespace, pod, options.container, selection.containerID) ?? endedEmptyRun(store);
}

function endedEmptyRun(store: LogStore): LogInstance {
  const run = new LogInstance(store.clock, { maxLines: 0, maxBytes: 0 });
  run.end();
  return run;
}

/** Writes lines until limitBytes is reached; returns false once the limit cut the output. */
class LogWriter {
  private written = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: LogOptions,
  ) {}

  write(entry: LogEntry): boolean {
    const line = this.options.timestamps ? `${formatTimestamp(entry.time)} ${entry.text}` : entry.text;
    let bytes = Buffer.from(line);
    const limit = this.options.limitBytes;
    if (limit !== undefined && this.written + bytes.length >= limit) {
      bytes = bytes.subarray(0, limit - this.written);
      this.written = limit;
      if (bytes.length > 0) this.res.write(bytes);
      return false;
    }
    this.written += bytes.length;
    this.res.write(bytes);
    return true;
  }
}

export function serveLog(store: LogStore, request: SubresourceRequest, res: ServerResponse): void {
  let options: LogOptions;
  let instance: LogInstance;
  try {
    options = parseOptions(request, store.clock.now());
    // The API server answers for a pod no node runs yet without asking a kubelet: an empty log.
    instance = (request.pod.spec as { nodeName?: string } | undefined)?.nodeName ? pickInstance(store, request, options) : endedEmptyRun(store);
  } catch (err) {
    if (!(err instanceof LogRequestError)) throw err;
    res.writeHead(err.status.code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(err.status));
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  const writer = new LogWriter(res, options);
  let lines = instance.entries().filter((e) => options.sinceNs === undefined || e.time >= options.sinceNs);
  if (options.tailLines !== undefined) lines = options.tailLines === 0 ? [] : lines.slice(-options.tailLines);
  for (const entry of lines) {
    if (!writer.write(entry)) return void res.end();
  }
  if (!options.follow || instance.isEnded) return void res.end();
  res.flushHeaders();
  const finish = () => {
    appended.dispose();
    ended.dispose();
    if (!res.writableEnded) res.end();
  };
  const appended = instance.onAppend((entry) => {
    if (!writer.write(entry)) finish();
  });
  const ended = instance.onEnd(finish);
  res.once('close', finish);
}
