/**
 * The extension's side of the tunnel for bench/tunnel.ts: port-forward WebSocket -> Mux -> local
 * service, or the Mux straight over TCP to the agent's control port (the relay alone). The bench
 * bundles this file with esbuild like the shipped extension (bench/tunnelBundle.ts), so `ws` runs
 * with the same masking code as in the .vsix.
 */
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { PortForwardStream } from '../src/kube/portforward';
import type { Mux } from '../src/tunnel/mux';
import { connectExtension } from '../src/tunnel/muxHandshake';
import { joinStreams } from '../src/tunnel/muxSocket';

/** Joins every stream the agent opens to a fresh connection to the local service. */
function serveLocal(mux: Mux, localPort: number): Mux {
  mux.onStream((stream) => void joinStreams(stream, connect({ host: '127.0.0.1', port: localPort, noDelay: true, allowHalfOpen: true })));
  return mux;
}

/** Through the stand-in API server at `forwardPort` (bench/tunnelWsForward.ts). */
export async function connectOverPortForward(forwardPort: number, token: string, localPort: number): Promise<Mux> {
  const ws = new WebSocket(`ws://127.0.0.1:${forwardPort}/api/v1/namespaces/bench/pods/relay/portforward?ports=7070`, ['v4.channel.k8s.io'], {
    perMessageDeflate: false,
    // TETHER_BENCH_ZERO_MASK=1 measures the client without payload masking (a zero masking key).
    ...(process.env.TETHER_BENCH_ZERO_MASK === '1' ? { generateMask: (mask: Buffer) => void mask.fill(0) } : {}),
  });
  // Attach the stream in the 'open' event itself: the channel prefixes may arrive with the upgrade.
  const transport = await new Promise<PortForwardStream>((resolve, reject) => {
    ws.once('open', () => resolve(new PortForwardStream(ws, { namespace: 'bench', pod: 'relay', port: 7070 })));
    ws.once('error', reject);
  });
  return serveLocal((await connectExtension(transport, token)).mux, localPort);
}

/** Straight to the agent's control port, no WebSocket hop. */
export async function connectOverTcp(controlPort: number, token: string, localPort: number): Promise<Mux> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: controlPort, noDelay: true });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
  return serveLocal((await connectExtension(socket, token)).mux, localPort);
}
