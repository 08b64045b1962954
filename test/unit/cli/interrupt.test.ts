// Ctrl+C while a command waits on the cluster: the wait ends at once, the exit code is 130, and
// nothing is explained as a failure (cancellation is quiet); with --json, stdout still holds one
// object a script can read.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { memoryIo } from '../../cli/memoryIo';
import { tempFolder } from '../../tempFolder';

/** A cluster address that accepts connections and never answers; resolves each time one arrives. */
async function silentServer(t: TestContext): Promise<{ port: number; connected: Promise<void> }> {
  const sockets: Socket[] = [];
  let connected!: () => void;
  const first = new Promise<void>((resolve) => (connected = resolve));
  const server = createServer((socket) => {
    sockets.push(socket);
    connected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return { port: (server.address() as { port: number }).port, connected: first };
}

for (const json of [false, true]) {
  test(`Ctrl+C while the cluster does not answer: exit 130, no failure explained${json ? ', one JSON object on stdout' : ''}`, async (t) => {
    const { port, connected } = await silentServer(t);
    const dir = tempFolder(t, 'interrupt');
    writeFileSync(
      path.join(dir, 'config'),
      `apiVersion: v1\nkind: Config\nclusters: [{ name: slow, cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]\nusers: [{ name: slow, user: { token: t } }]\ncontexts: [{ name: slow, context: { cluster: slow, user: slow, namespace: default } }]\ncurrent-context: slow\n`,
    );
    const io = memoryIo({ cwd: dir, env: { KUBECONFIG: path.join(dir, 'config'), TETHER_SANDBOX_DEVELOPER: 'jane' } });
    const ran = runCli(['sandbox', 'list', ...(json ? ['--json'] : [])], io);
    await connected;
    io.interrupt();
    assert.equal(await ran, 130);
    assert.equal(io.printed.err, '', 'nothing explained: the user stopped it');
    if (json) assert.deepEqual(JSON.parse(io.printed.out), { error: { reason: 'Cancelled', why: 'interrupted' }, exitCode: 130 });
    else assert.equal(io.printed.out, '');
  });
}
