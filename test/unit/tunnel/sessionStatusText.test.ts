import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, statusText } from '../../../src/ui/tunnel/tunnelStatusText';
import { relayNotReady } from '../../../src/tunnel/reconnectReason';

const label = { workload: 'web', namespace: 'shop', localPort: 3000 };
const stats = { liveConnections: 2, bytesIn: 1536, bytesOut: 1024 * 1024, rttMs: 3.456, inboundServed: 5, inboundRefused: 0, forwards: 1 };

test('status bar text per state', () => {
  assert.equal(statusText(label, { phase: 'connected', pod: 'p', agentVersion: '0.1.0' }, stats), '$(plug) web → :3000 · 2 conn · 1.0 MB · 3.5 ms');
  assert.equal(statusText(label, { phase: 'connecting' }, stats), '$(sync~spin) web → :3000');
  assert.equal(statusText(label, { phase: 'reconnecting', reason: relayNotReady('starting'), attempt: 1, retryInMs: 500 }, stats), '$(debug-disconnect) web → :3000 · reconnecting');
  assert.equal(statusText(label, { phase: 'stopped' }, stats), '$(circle-slash) web → :3000 · stopped');
  assert.equal(statusText(label, { phase: 'connected', pod: 'p', agentVersion: '0.1.0' }, { ...stats, rttMs: undefined, liveConnections: 0 }), '$(plug) web → :3000 · 0 conn · 1.0 MB');
});

test('bytes in human units', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1024), '1.0 KB');
  assert.equal(formatBytes(150 * 1024 * 1024), '150 MB');
  assert.equal(formatBytes(3 * 1024 ** 4), '3.0 TB');
});
