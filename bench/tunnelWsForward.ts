/**
 * Stands in for the API server and kubelet in bench/tunnel.ts: a WebSocket server speaking
 * pods/portforward's v4.channel.k8s.io framing (channel byte, the port announced little-endian on
 * each channel's first message) that forwards channel 0 to a TCP port, with backpressure both ways.
 * Runs as its own process, bundled by bench/tunnelBundle.ts: `TETHER_BENCH_TARGET_PORT=7070 node ws-forward.js`
 * prints `listening <port>`.
 */
import { connect, type AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { MessagePool } from '../src/kube/portforwardMessages';

const protocol = 'v4.channel.k8s.io';
const targetPort = Number(process.env.TETHER_BENCH_TARGET_PORT);
const highWater = 1024 * 1024;

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  perMessageDeflate: false,
  handleProtocols: (protocols) => (protocols.has(protocol) ? protocol : false),
});

server.on('connection', (ws, req) => {
  const port = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('ports'));
  ws.send(Buffer.from([0, port & 0xff, port >> 8]));
  ws.send(Buffer.from([1, port & 0xff, port >> 8]));
  const tcp = connect({ host: '127.0.0.1', port: targetPort, noDelay: true });
  let queued = 0;
  let paused = false;
  // One message per TCP read, like a kubelet; the buffers are reused as the client's are.
  const messages = new MessagePool(64 * 1024, highWater / (64 * 1024) + 1);
  tcp.on('data', (data: Buffer) => {
    messages.pack([data], 0, (message, release) => {
      queued += message.length;
      ws.send(message, () => {
        release();
        queued -= message.length;
        if (paused && queued < highWater / 4) {
          paused = false;
          tcp.resume();
        }
      });
    });
    if (queued > highWater && !paused) {
      paused = true;
      tcp.pause();
    }
  });
  ws.on('message', (data: Buffer) => {
    if (data[0] !== 0 || data.length < 2) return;
    if (!tcp.write(data.subarray(1))) {
      ws.pause();
      tcp.once('drain', () => ws.resume());
    }
  });
  tcp.on('error', () => ws.close(1011));
  tcp.on('close', () => ws.close(1000));
  ws.on('close', () => tcp.destroy());
  ws.on('error', () => tcp.destroy());
});

server.on('listening', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});

// A clean exit on SIGTERM, so that a --cpu-prof profile gets written.
process.on('SIGTERM', () => process.exit(0));
