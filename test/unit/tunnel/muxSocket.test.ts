import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { joinStreams } from '../../../src/tunnel/muxSocket';
import { memoryPair, readAll, until } from './muxFixtures';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

test('a joined socket half-closes through the stream: the answer still flows after the request ended', async () => {
  // The server answers only once the request's end arrived (like a batch job reading stdin).
  const server = createServer({ allowHalfOpen: true }, (s) => void readAll(s).then((b) => s.end(`saw ${b.length} bytes`)));
  const port = await listen(server);
  const pair = memoryPair();
  try {
    const joined: Promise<void>[] = [];
    pair.agent.onStream((stream) => void joined.push(joinStreams(stream, connect({ port, host: '127.0.0.1', allowHalfOpen: true }))));
    const s = await pair.extension.open({ kind: 'dial', host: '127.0.0.1', port });
    s.end(Buffer.alloc(100_000, 1));
    assert.equal((await readAll(s)).toString(), 'saw 100000 bytes');
    await Promise.all(joined);
    await until(() => pair.agent.stats.openStreams === 0 && pair.extension.stats.openStreams === 0, 2000, 'released');
  } finally {
    pair.dispose();
    server.close();
  }
});

test('a failing socket resets its stream with the reason, and a reset stream destroys its socket', async () => {
  let serverSide: Socket | undefined;
  const server = createServer((s) => {
    serverSide = s;
    s.on('error', () => undefined);
  });
  const port = await listen(server);
  const pair = memoryPair();
  try {
    const sockets: Socket[] = [];
    pair.agent.onStream((stream) => {
      const socket = connect({ port, host: '127.0.0.1' });
      sockets.push(socket);
      void joinStreams(stream, socket);
    });
    const first = await pair.extension.open({ kind: 'dial', host: '127.0.0.1', port });
    const failed = new Promise<Error>((resolve) => first.once('error', resolve));
    await until(() => serverSide !== undefined, 2000, 'connected');
    sockets[0].destroy(new Error('EPIPE from the service'));
    assert.match((await failed).message, /reset the stream.*the connection on the other side failed: EPIPE from the service/);

    const second = await pair.extension.open({ kind: 'dial', host: '127.0.0.1', port });
    second.on('error', () => undefined);
    await until(() => sockets.length === 2 && !sockets[1].connecting, 2000, 'second connected');
    second.reset('the caller went away');
    await until(() => sockets[1].destroyed, 2000, 'socket destroyed after the reset');
  } finally {
    pair.dispose();
    server.close();
  }
});
