/** Listening where only this computer reaches: every local end Tether opens is on 127.0.0.1. */
import type { Server } from 'node:net';

/** Listens on 127.0.0.1:`port` (0: a free one); rejects with the listen error, e.g. EADDRINUSE. */
export function listenOnLoopback(server: Server, port = 0): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
