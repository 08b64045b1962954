/**
 * The GPU view over the simulator's demo seed, the GPU summary in the selected context's tooltip
 * (only while the GPU view is open), and "Will it schedule?" (CodeLens and command) on the
 * sample workspace's 8-GPU manifest.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TetherApi } from '../../../src/ui/api';
import type { GpuTreeNode } from '../../../src/ui/gpu/gpuTreeModel';
import { tetherApi } from './extension';
import { childRow, eventually } from './clusterRows';
import { simContext } from './simContext';

const manifest = vscode.Uri.file(join(__dirname, '..', '..', '..', 'sample', 'k8s', 'train-llm.yaml'));

interface GpuRow {
  node: GpuTreeNode;
  label: string;
  description: string;
  tooltip: string;
}

function text(value: string | vscode.TreeItemLabel | vscode.MarkdownString | boolean | undefined): string {
  if (value === undefined || typeof value === 'boolean') return '';
  if (typeof value === 'string') return value;
  if (value instanceof vscode.MarkdownString) return value.value;
  return value.label;
}

async function gpuRows(api: TetherApi, parent?: GpuTreeNode): Promise<GpuRow[]> {
  const nodes = (await api.gpuTree.getChildren(parent)) ?? [];
  return Promise.all(nodes.map(async (node) => {
    const item = await api.gpuTree.getTreeItem(node);
    return { node, label: text(item.label), description: text(item.description), tooltip: text(item.tooltip) };
  }));
}

/** The GPU view's row at `path` (labels from the root), once it exists. */
async function gpuRowAt(api: TetherApi, path: string[], timeoutMs = 30_000): Promise<GpuRow> {
  let seen: string[] = [];
  try {
    return await eventually(api, `GPU view row ${path.join(' > ')}`, async () => {
      let row: GpuRow | undefined;
      for (const label of path) {
        const children = await gpuRows(api, row?.node);
        seen = children.map((c) => c.label);
        row = children.find((c) => c.label === label);
        if (!row) return undefined;
      }
      return row;
    }, timeoutMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}; last level had: ${seen.join(', ') || 'nothing'}`);
  }
}

/** The open "Will it schedule?" reports (read-only documents of Tether's own scheme). */
function preflightReports(): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'tether-preflight' && !d.isClosed);
}

async function contextTooltip(api: TetherApi): Promise<string> {
  return (await childRow(api, undefined, simContext())).tooltip;
}

describe('GPU insight', () => {
  before(async () => {
    const api = await tetherApi();
    await api.whenIdle();
    if (api.selection().context !== simContext()) await vscode.commands.executeCommand('tether.selectContext', simContext());
    await vscode.commands.executeCommand('tether.gpus.focus');
  });

  it('lists the demo GPU nodes with their model, usage and the pods holding GPUs, and no CPU node', async () => {
    const api = await tetherApi();
    const gpuB = await gpuRowAt(api, ['Nodes', 'gpu-b']);
    assert.match(gpuB.tooltip, /^nvidia\.com\/mig-1g\.10gb: 1 requested of 7, 6 free$/m);
    const gpuA = await gpuRowAt(api, ['Nodes', 'gpu-a']);
    assert.equal(gpuA.description, '█████░░░░░ 2/4 · NVIDIA-A100-SXM4-80GB');
    assert.match(gpuA.tooltip, /^taints: nvidia\.com\/gpu=present:NoSchedule$/m);
    const holders = (await gpuRows(api, gpuA.node)).map((r) => r.label);
    assert.equal(holders.length, 1);
    assert.match(holders[0], /^train-resnet-[a-z0-9]{5}$/);
    const nodes = (await gpuRows(api, (await gpuRowAt(api, ['Nodes'])).node)).map((r) => r.label);
    assert.deepEqual(nodes, ['gpu-a', 'gpu-b']);
  });

  it('shows the pod asking for 8 GPUs as waiting, with the reason', async () => {
    const api = await tetherApi();
    const pod = await gpuRowAt(api, ['Waiting for GPUs', 'train-llm-8gpu']);
    assert.match(pod.tooltip, /^needs 8 nvidia\.com\/gpu\nno node has more than 4 in total$/m);
    assert.match(pod.tooltip, /^scheduler said: 0\/4 nodes are available: 4 Insufficient nvidia\.com\/gpu\./m);
    const reasons = (await gpuRows(api, pod.node)).map((r) => r.label);
    assert.ok(reasons.some((r) => r.startsWith('needs 8 nvidia.com/gpu')), `reasons: ${reasons.join(' | ')}`);
  });

  it("puts the GPU summary in the selected context's tooltip while the GPU view is open, and takes it away when it closes", async () => {
    const api = await tetherApi();
    await eventually(api, 'the GPU summary in the context tooltip', async () => {
      const tooltip = await contextTooltip(api);
      return /\$\(chip\) \*\*GPUs\*\*: 2\/4 GPUs · 1\/7 MIG slices · 1 waiting/.test(tooltip) ? tooltip : undefined;
    });
    await vscode.commands.executeCommand('workbench.view.explorer');
    try {
      await eventually(api, 'the GPU summary to leave the context tooltip', async () => ((await contextTooltip(api)).includes('GPUs') ? undefined : true));
    } finally {
      await vscode.commands.executeCommand('tether.gpus.focus');
    }
  });

  it('offers "Will it schedule?" above the manifest and reports that no node fits 8 GPUs', async () => {
    const api = await tetherApi();
    const document = await vscode.workspace.openTextDocument(manifest);
    await vscode.window.showTextDocument(document);
    const lenses = await eventually(api, 'the Will it schedule? lens', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', manifest);
      const ours = (found ?? []).filter((l) => l.command?.command === 'tether.checkScheduling');
      return ours.length > 0 ? ours : undefined;
    });
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0].range.start.line, document.getText().split('\n').findIndex((l) => l.startsWith('apiVersion:')));
    const command = lenses[0].command as vscode.Command;
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const report = preflightReports().find((d) => d.getText().startsWith('# Will it schedule? Pod train-llm-8gpu'));
    assert.ok(report, 'the report opens');
    assert.equal(report.languageId, 'markdown');
    assert.equal(report.isUntitled, false, 'a read-only report, not an Untitled document that asks to be saved');
    assert.equal(report.isDirty, false);
    const body = report.getText();
    assert.ok(body.includes(`Context \`${simContext()}\`, namespace \`ml\``), body);
    assert.match(body, /## Nodes \(0 of 4 fit\)/);
    assert.match(body, /❌ \*\*gpu-a\*\*: .*nvidia\.com\/gpu, 2 of 4 free/);
  });

  it('tether.checkScheduling checks the template under the cursor when run from the palette, refreshing its report', async () => {
    const document = await vscode.workspace.openTextDocument(manifest);
    const editor = await vscode.window.showTextDocument(document);
    const line = document.getText().split('\n').findIndex((l) => l.startsWith('kind:'));
    editor.selection = new vscode.Selection(line, 0, line, 0);
    const before = preflightReports().map((d) => d.uri.toString());
    await vscode.commands.executeCommand('tether.checkScheduling');
    const reports = preflightReports();
    assert.equal(reports.length, 1, `one report per template, checked again in place: ${reports.map((d) => d.uri.path).join(', ')}`);
    assert.ok(before.length === 0 || before[0] === reports[0].uri.toString());
    assert.match(reports[0].getText(), /^# Will it schedule\? Pod train-llm-8gpu/);
  });
});
