// The readiness probe asks the agent's health endpoint, not its control port: probes leave no
// "extension-rejected" lines in the agent's log (before, one every 20 s), while a real connection
// that leaves without a hello is still logged as rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { healthProbeScript } from '../../../src/tunnel/relay';
import { startAgentProcess } from './agentFixtures';

function probe(port: number): Promise<number> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', healthProbeScript(port)], { timeout: 10_000 }, (err) => resolve(err ? ((err as { code?: number }).code ?? 1) : 0));
  });
}

test('the probe passes against a running agent and is not logged; a connection without a hello still is', { timeout: 60_000 }, async (t) => {
  const agent = await startAgentProcess({ TETHER_TOKEN: 'tok-health' });
  t.after(() => agent.stop());
  const line = await agent.waitFor(/ health listen=/);
  const port = Number(/listen=127\.0\.0\.1:(\d+)/.exec(line)![1]);
  for (let i = 0; i < 3; i++) assert.equal(await probe(port), 0);
  assert.doesNotMatch(agent.output(), /extension-rejected/, 'probes are not rejected extensions');

  const socket = await agent.connectControl();
  socket.destroy();
  await agent.waitFor(/extension-rejected .*closed the connection during the handshake/);

  await agent.stop();
  assert.equal(await probe(port), 1, 'a stopped agent fails the probe');
});

test('the probe fails on anything but a 200 from /healthz', { timeout: 30_000 }, async (t) => {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 503 : 200).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  assert.equal(await probe((server.address() as { port: number }).port), 1);
});
