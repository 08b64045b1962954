/**
 * Joins a mux stream and a socket (or any byte Duplex) in both directions with backpressure and
 * half-close: the end of one side's writes becomes a fin on the other; an error on either side
 * resets or destroys the other, so a failing connection never lingers half-alive.
 */
import type { Duplex } from 'node:stream';
import type { MuxStream } from './muxStream';

/** Resolves once both sides are closed; never rejects (errors end the pair). */
export function joinStreams(stream: MuxStream, socket: Duplex): Promise<void> {
  return new Promise<void>((resolve) => {
    let open = 2;
    const closed = () => {
      if (--open === 0) resolve();
    };
    socket.on('error', (error: Error) => stream.reset(`the connection on the other side failed: ${error.message}`));
    stream.on('error', () => socket.destroy());
    socket.once('close', () => {
      // A socket closed before both directions finished leaves nothing to carry the rest.
      if (!stream.destroyed && !(stream.writableEnded && stream.readableEnded)) stream.reset('the connection on the other side closed');
      closed();
    });
    stream.once('close', () => {
      // A reset or a lost tunnel: drop the socket rather than leave it waiting for bytes that won't come.
      if (!socket.destroyed && !(stream.readableEnded && stream.writableFinished)) socket.destroy();
      closed();
    });
    socket.pipe(stream);
    stream.pipe(socket);
  });
}
