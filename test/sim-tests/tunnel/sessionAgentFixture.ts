/**
 * A relay agent for session tests, bundled with esbuild and run by the simulator's process runtime
 * like the real one: the control port on 127.0.0.1 (hello with the token, then a Mux), each data
 * port on all addresses, forwarded as inbound streams to the connected extension; dial streams
 * reach cluster services from inside the pod. Reads the same environment as the shipped agent.
 */
import { connect, createServer } from 'node:net';
import type { Mux } from '../../../src/tunnel/mux';
import { acceptExtension } from '../../../src/tunnel/muxHandshake';
import { joinStreams } from '../../../src/tunnel/muxSocket';

const controlPort = Number(process.env.TETHER_CONTROL_PORT);
const dataPorts = (process.env.TETHER_DATA_PORTS ?? '')
  .split(',')
  .filter(Boolean)
  .map(Number);
const token = process.env.TETHER_TOKEN ?? '';
let current: Mux | undefined;

createServer((socket) => {
  socket.on('error', () => undefined);
  acceptExtension(socket, { token, agentVersion: 'session-test-agent', ports: dataPorts, pingIntervalMs: 200, deadAfterMs: 1500 }).then(
    ({ mux }) => {
      current?.close('a newer connection took over');
      current = mux;
      mux.onClose(() => {
        if (current === mux) current = undefined;
      });
      mux.onStream((stream, target) => {
        if (target.kind !== 'dial') return stream.refuse('only dial streams go this way');
        stream.deferAccept();
        const upstream = connect(target.port, target.host);
        upstream.once('connect', () => {
          stream.accept();
          void joinStreams(stream, upstream);
        });
        upstream.once('error', (err) => stream.refuse(err.message));
      });
    },
    () => socket.destroy(),
  );
}).listen(controlPort, '127.0.0.1');

for (const port of dataPorts) {
  createServer({ pauseOnConnect: true }, (socket) => {
    socket.on('error', () => undefined);
    const mux = current;
    if (!mux) return void socket.destroy();
    mux.open({ kind: 'inbound', port, peer: `${socket.remoteAddress}:${socket.remotePort}` }).then(
      (stream) => void joinStreams(stream, socket),
      () => socket.destroy(),
    );
  }).listen(port);
}
