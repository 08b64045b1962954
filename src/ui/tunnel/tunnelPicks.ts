/**
 * The questions "Tunnel Workload to Local Port" asks: which namespace and workload (when not
 * started from the Cluster view) and which local port, suggested from what listens on this
 * computer and from the workspace's launch configurations.
 */
import * as vscode from 'vscode';
import type { KubeClient } from '../../kube/api';
import { ExplainedError } from '../../kube/errors';
import { kinds } from '../../kube/kinds';
import type { KubeObject } from '../../kube/types';
import { listeningPorts } from '../../tunnel/localTarget';
import type { TunnelWorkloadKind } from '../../tunnel/sessionStart';
import { isNamespaceName, namespaceChoices, type NamespaceChoiceInput } from './namespaceChoices';

export interface WorkloadChoice {
  kind: TunnelWorkloadKind;
  namespace: string;
  name: string;
}

const tunnelKinds: TunnelWorkloadKind[] = ['Deployment', 'StatefulSet'];

/**
 * The namespace: a quick pick of the known ones (the filtered or the context's own first); a name
 * typed that is not listed can be used too (when listing namespaces is not allowed, that is the
 * only way to reach the others). With one filtered namespace, that one without asking.
 */
export async function pickNamespace(input: NamespaceChoiceInput): Promise<string | undefined> {
  if (input.filter && input.filter.length === 1) return input.filter[0];
  const choices = namespaceChoices(input).map((c) => ({ label: c.name, description: c.description }));
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  pick.title = 'Tunnel: namespace of the workload';
  pick.placeholder = input.known ? 'Pick a namespace, or type its name' : 'Listing namespaces is not allowed: pick one or type its name';
  pick.items = choices;
  const typedItem = (value: string): vscode.QuickPickItem | undefined =>
    value && !choices.some((c) => c.label === value)
      ? { label: value, description: isNamespaceName(value) ? 'use this namespace' : 'not a namespace name: lowercase letters, digits and -', alwaysShow: true }
      : undefined;
  try {
    return await new Promise<string | undefined>((resolve) => {
      pick.onDidChangeValue((value) => {
        const typed = typedItem(value.trim());
        pick.items = typed ? [typed, ...choices] : choices;
      });
      pick.onDidAccept(() => {
        const name = pick.selectedItems[0]?.label ?? pick.value.trim();
        if (!isNamespaceName(name)) return;
        resolve(name);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}

export async function pickWorkload(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<WorkloadChoice | undefined> {
  // Deployments are what a tunnel is for; StatefulSets the user may not list are simply not offered.
  const lists = await Promise.all(
    tunnelKinds.map((kind) =>
      client.list<KubeObject>(kinds[kind], namespace, { signal }).then(
        (r) => r.items.map((o) => ({ kind, o })),
        (err: unknown) => {
          if (kind !== 'Deployment' && err instanceof ExplainedError && err.reason === 'Forbidden') return [];
          throw err;
        },
      ),
    ),
  );
  const items = lists.flat().filter(({ o }) => o.metadata.labels?.['app.kubernetes.io/managed-by'] !== 'tether');
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`No Deployment or StatefulSet in namespace "${namespace}" to tunnel.`);
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(
    items.map(({ kind, o }) => ({ label: o.metadata.name, description: kind, workloadKind: kind, name: o.metadata.name })),
    { title: `Tunnel: which workload in "${namespace}" should send its traffic to this computer?`, matchOnDescription: true },
  );
  return choice ? { kind: choice.workloadKind, namespace, name: choice.name } : undefined;
}

/** Ports named in launch configurations: `port`, `env.PORT`, or `--port N` / `:N` in args. */
function launchPorts(): { port: number; from: string }[] {
  const found: { port: number; from: string }[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const configs = vscode.workspace.getConfiguration('launch', folder.uri).get<Record<string, unknown>[]>('configurations') ?? [];
    for (const c of configs) {
      const name = typeof c.name === 'string' ? c.name : 'launch configuration';
      const env = (c.env ?? {}) as Record<string, unknown>;
      const candidates = [c.port, env.PORT, ...(Array.isArray(c.args) ? c.args.join(' ').match(/(?:--port[ =]|:)(\d{2,5})\b/g)?.map((m) => m.replace(/\D/g, '')) ?? [] : [])];
      for (const candidate of candidates) {
        const port = Number(candidate);
        if (Number.isInteger(port) && port > 0 && port < 65536) found.push({ port, from: `launch: ${name}` });
      }
    }
  }
  return found;
}

export async function pickLocalPort(workloadPort: number | undefined): Promise<number | undefined> {
  const listening = await listeningPorts();
  const seen = new Set<number>();
  const items: (vscode.QuickPickItem & { port?: number })[] = [];
  const add = (port: number, description: string) => {
    if (seen.has(port)) return;
    seen.add(port);
    items.push({ label: String(port), description, port });
  };
  if (workloadPort && listening.includes(workloadPort)) add(workloadPort, 'listening now · same port as the workload');
  for (const { port, from } of launchPorts()) add(port, listening.includes(port) ? `listening now · ${from}` : from);
  for (const port of listening) if (port >= 1024) add(port, 'listening now');
  if (workloadPort) add(workloadPort, 'same port as the workload');
  items.push({ label: 'Enter a port…', alwaysShow: true });
  const choice = await vscode.window.showQuickPick(items, { title: 'Tunnel: which local port receives the traffic?', placeHolder: 'Your service listens on 127.0.0.1:<port>' });
  if (!choice) return undefined;
  if (choice.port) return choice.port;
  const typed = await vscode.window.showInputBox({
    title: 'Tunnel: local port',
    value: workloadPort ? String(workloadPort) : '',
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) > 0 && Number(v) < 65536 ? undefined : 'A port between 1 and 65535'),
  });
  return typed ? Number(typed) : undefined;
}
