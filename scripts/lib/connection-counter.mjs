// A TCP listener on 127.0.0.1 that only counts connections: stands in for a cluster's address to
// prove nothing dials it. Closed by the Teardown.
import { createServer } from 'node:net';

export function startConnectionCounter(teardown) {
  return new Promise((resolve, reject) => {
    const sockets = new Set();
    const counter = { port: 0, connections: 0 };
    const server = createServer((socket) => {
      counter.connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.destroy();
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      counter.port = server.address().port;
      teardown.add(() => new Promise((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }));
      resolve(counter);
    });
  });
}
