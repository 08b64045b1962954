// Kubeconfig files for error-state tests: a context whose server nothing listens on, and a file
// that is not valid YAML at all.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';

export const UNREACHABLE_CONTEXT = 'unreachable';

/** A kubeconfig with one context pointing at a closed port on 127.0.0.1. */
export async function writeUnreachableKubeconfig(dir) {
  const port = await freePort();
  const path = join(dir, 'unreachable.kubeconfig');
  writeFileSync(path, [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${UNREACHABLE_CONTEXT}`,
    '  cluster:',
    `    server: https://127.0.0.1:${port}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${UNREACHABLE_CONTEXT}`,
    '  user:',
    '    token: not-a-real-token',
    'contexts:',
    `- name: ${UNREACHABLE_CONTEXT}`,
    '  context:',
    `    cluster: ${UNREACHABLE_CONTEXT}`,
    `    user: ${UNREACHABLE_CONTEXT}`,
    '    namespace: default',
    '',
  ].join('\n'));
  return path;
}

/** A kubeconfig that does not parse. */
export function writeMalformedKubeconfig(dir) {
  const path = join(dir, 'malformed.kubeconfig');
  writeFileSync(path, 'apiVersion: v1\nkind: Config\nclusters: [\n  - name: broken\n    cluster: {server: "https://127.0.0.1:1"\ncontexts: :::\n');
  return path;
}
