import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTunnelArgs } from '../../../src/ui/tunnel/tunnelArgs';

test('no argument and Cluster view rows are not tunnel arguments: the command asks', () => {
  assert.equal(startTunnelArgs(undefined), undefined);
  assert.equal(startTunnelArgs({ type: 'workload', context: 'c', namespace: 'shop', kind: 'Deployment', name: 'web' }), undefined);
});

test('a complete argument is taken as is', () => {
  const args = { namespace: 'shop', workload: { kind: 'StatefulSet', name: 'db' }, localPort: 5432, joinWorkloadService: true };
  assert.deepEqual(startTunnelArgs(args), args);
});

test('a broken argument is refused with every problem named', () => {
  assert.throws(
    () => startTunnelArgs({ context: '', namespace: 'Shop', workload: { kind: 'DaemonSet', name: 'x' }, localPort: 70000, joinWorkloadService: 'yes' }),
    (err: Error) => {
      assert.ok(err instanceof TypeError);
      for (const part of ['context must be', 'namespace must be', 'workload must be {kind: Deployment | StatefulSet, name}', 'joinWorkloadService must be', 'localPort must be a port between 1 and 65535', '"localPort":70000']) {
        assert.ok(err.message.includes(part), `${part} in: ${err.message}`);
      }
      return true;
    },
  );
});
