import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExecCredentialProvider } from '../../../src/kube/exec-credential';
import { tempFolder } from '../../tempFolder';
import { ManualClock } from './manual-clock';

/** A plugin script that counts its runs in `counter` and prints a credential built by `body`. */
function plugin(t: { after(fn: () => void): void }, body: string): { script: string; runs: () => number } {
  const dir = tempFolder(t, 'exec');
  const counter = path.join(dir, 'runs');
  writeFileSync(counter, '');
  const script = path.join(dir, 'plugin.js');
  writeFileSync(
    script,
    `const fs = require('node:fs'); fs.appendFileSync(${JSON.stringify(counter)}, 'x');
     const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO || '{}');
     ${body}`,
  );
  return { script, runs: () => readFileSync(counter, 'utf8').length };
}

const print = (status: string) => `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: ${status} }));`;
const cluster = { server: 'https://10.0.0.1:6443', caData: 'Q0E=' };

test('runs once for concurrent requests and caches until expirationTimestamp', async (t) => {
  const { script, runs } = plugin(t, print(`{ token: 'tok-' + info.spec.interactive, expirationTimestamp: new Date(Date.now() + 3600e3).toISOString() }`));
  const provider = new ExecCredentialProvider({ command: process.execPath, args: [script] }, cluster);
  t.after(() => provider.dispose());
  const all = await Promise.all([provider.get(), provider.get(), provider.get()]);
  assert.deepEqual(all.map((c) => c.token), ['tok-false', 'tok-false', 'tok-false']);
  assert.equal(runs(), 1);
  await provider.get();
  assert.equal(runs(), 1, 'cached');
  provider.invalidate();
  await provider.get();
  assert.equal(runs(), 2, 'runs again after a 401');
});

test('an expired credential is fetched again; one without expiry is kept until invalidated', async (t) => {
  const expired = plugin(t, print(`{ token: 't', expirationTimestamp: new Date(Date.now() - 1000).toISOString() }`));
  const a = new ExecCredentialProvider({ command: process.execPath, args: [expired.script] }, cluster);
  t.after(() => a.dispose());
  await a.get();
  await a.get();
  assert.equal(expired.runs(), 2);
  const forever = plugin(t, print(`{ token: 't' }`));
  const b = new ExecCredentialProvider({ command: process.execPath, args: [forever.script] }, cluster);
  t.after(() => b.dispose());
  await b.get();
  await b.get();
  assert.equal(forever.runs(), 1);
});

test('KUBERNETES_EXEC_INFO carries the cluster when provideClusterInfo is set; env entries are passed', async (t) => {
  const { script } = plugin(t, print(`{ token: info.spec.cluster.server + '|' + info.spec.cluster['certificate-authority-data'] + '|' + process.env.EXTRA }`));
  const provider = new ExecCredentialProvider(
    { command: process.execPath, args: [script], provideClusterInfo: true, env: [{ name: 'EXTRA', value: 'yes' }] },
    cluster,
  );
  t.after(() => provider.dispose());
  assert.equal((await provider.get()).token, 'https://10.0.0.1:6443|Q0E=|yes');
});

test('client certificates; bad output; a plugin that hangs is stopped at the deadline', async (t) => {
  const certs = plugin(t, print(`{ clientCertificateData: 'CERT', clientKeyData: 'KEY' }`));
  const c = new ExecCredentialProvider({ command: process.execPath, args: [certs.script] }, cluster);
  t.after(() => c.dispose());
  assert.deepEqual(await c.get(), { clientCertificateData: 'CERT', clientKeyData: 'KEY' });

  const garbage = plugin(t, `process.stdout.write('please log in')`);
  const g = new ExecCredentialProvider({ command: process.execPath, args: [garbage.script] }, cluster);
  t.after(() => g.dispose());
  await assert.rejects(g.get(), /not an ExecCredential/);

  const hang = plugin(t, `setTimeout(() => {}, 60_000)`);
  const clock = new ManualClock();
  const h = new ExecCredentialProvider({ command: process.execPath, args: [hang.script] }, cluster, { timeoutMs: 300, clock });
  t.after(() => h.dispose());
  const hanging = h.get();
  clock.advance(300); // the plugin's time is up: it is killed
  await assert.rejects(hanging, /did not finish within/);

  const missing = new ExecCredentialProvider({ command: 'tether-no-such-plugin' }, cluster);
  await assert.rejects(missing.get(), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
});
