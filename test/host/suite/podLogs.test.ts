import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hasPreviousRun } from '../../../src/ui/views/podSummary';
import { tetherApi } from './extension';
import { childRow, eventually, rowAt, rows } from './clusterRows';
import { clusterRest } from './clusterRest';
import { simContext } from './simContext';
import { until } from './until';

/** A process pod in `default` that prints 300 numbered lines, then one more every 100 ms. */
async function chattyPod(name: string): Promise<() => Promise<void>> {
  const rest = clusterRest();
  const script = "for (let i = 1; i <= 300; i++) console.log('line ' + i); let n = 300; setInterval(() => console.log('line ' + ++n), 100);";
  const cm = await rest.call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { 'main.js': script } });
  assert.equal(cm.status, 201, JSON.stringify(cm.body));
  const pod = await rest.call('POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { 'app.kubernetes.io/name': 'host-test' } },
    spec: {
      containers: [{ name: 'main', image: 'node:22-alpine', command: ['node', '/opt/chatty/main.js'], volumeMounts: [{ name: 'script', mountPath: '/opt/chatty' }] }],
      volumes: [{ name: 'script', configMap: { name } }],
    },
  });
  assert.equal(pod.status, 201, JSON.stringify(pod.body));
  return async () => {
    await rest.call('DELETE', `/api/v1/namespaces/default/pods/${name}?gracePeriodSeconds=0`);
    await rest.call('DELETE', `/api/v1/namespaces/default/configmaps/${name}`);
  };
}

/** The last line the editor shows, and the document's last line with text. */
function view(editor: vscode.TextEditor): { shown: number; last: number } {
  const lines = editor.document.getText().trimEnd().split('\n').length;
  return { shown: editor.visibleRanges.at(-1)?.end.line ?? -1, last: lines - 1 };
}

describe('pod logs', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('follows a pod\'s log in a read-only log document', async () => {
    const api = await tetherApi();
    const web = await rowAt(api, [simContext(), 'shop', 'web']);
    const pod = (await rows(api, web.node))[0];
    assert.ok(pod, 'web has no pod');
    await vscode.commands.executeCommand('tether.showPodLogs', pod.node);
    const doc = await eventually(api, 'the log document with text', async () => {
      const d = vscode.window.activeTextEditor?.document;
      return d && d.uri.path.includes(pod.label) && d.getText().trim() ? d : undefined;
    });
    assert.equal(doc.languageId, 'log');
    assert.notEqual(vscode.workspace.fs.isWritableFileSystem(doc.uri.scheme), true);
  });

  it('says why a container that never started has no log yet, instead of a stream that ended', async () => {
    const api = await tetherApi();
    const pod = await rowAt(api, [simContext(), 'ml', 'train-llm-8gpu']);
    await vscode.commands.executeCommand('tether.showPodLogs', pod.node);
    const doc = await eventually(api, 'the log document to say why', async () => {
      const d = vscode.window.activeTextEditor?.document;
      return d && d.uri.path.includes('train-llm-8gpu') && /has not started/.test(d.getText()) ? d : undefined;
    });
    assert.match(doc.getText(), /^--- Container train has not started: the pod is Pending, no node can take it \(.*Insufficient nvidia\.com\/gpu\)\. Its log follows once it runs\. ---$/m);
    assert.doesNotMatch(doc.getText(), /log stream ended|logs unavailable/);
  });

  it('keeps the end of a followed log in view as lines arrive, until scrolled up', async () => {
    const api = await tetherApi();
    const name = `chatty-${Date.now().toString(36)}`;
    const remove = await chattyPod(name);
    try {
      const namespace = await rowAt(api, [simContext(), 'default']);
      const pod = await childRow(api, namespace.node, name);
      await until('the chatty pod to run', async () => ((await rowAt(api, [simContext(), 'default', name])).description.startsWith('Running') ? true : undefined), 30_000);
      await vscode.commands.executeCommand('tether.showPodLogs', pod.node);
      const editor = await eventually(api, 'the log editor with more lines than fit on screen', async () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.uri.path.includes(name) && view(e).last > 300 ? e : undefined;
      });
      const followed = await until('the last line in view', async () => {
        const v = view(editor);
        return v.shown >= v.last - 1 ? v : undefined;
      });
      await until('more lines, with the end still in view', async () => {
        const v = view(editor);
        return v.last > followed.last + 5 && v.shown >= v.last - 1 ? v : undefined;
      });
      editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
      const scrolled = await until('the top in view after scrolling up', async () => (editor.visibleRanges[0]?.start.line === 0 ? view(editor) : undefined));
      await until('more lines while scrolled up', async () => (view(editor).last > scrolled.last + 5 ? true : undefined));
      assert.equal(editor.visibleRanges[0]?.start.line, 0, 'scrolled up, the view stays where the reader put it');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await remove();
    }
  });

  it('opens a crash-looping container\'s log on its previous run, where the crash is', async () => {
    const api = await tetherApi();
    const pod = await eventually(api, 'the cart pod to have restarted and wait to run again', async () => {
      const [row] = await rows(api, (await rowAt(api, [simContext(), 'shop', 'cart'])).node);
      return row?.node.type === 'pod' && hasPreviousRun(row.node.object, 'cart') ? row : undefined;
    }, 60_000);
    await vscode.commands.executeCommand('tether.showPodLogs', pod.node);
    const text = await eventually(api, 'the previous run\'s log with the crash', async () => {
      const d = vscode.window.activeTextEditor?.document;
      return d && d.uri.path.includes(pod.label) && d.getText().includes('fatal: config missing') ? d.getText() : undefined;
    });
    assert.match(text, /^--- previous run ---\nstarting [^\n]*\n[\s\S]*fatal: config missing\n/);
    assert.doesNotMatch(text, /not available/);
  });
});
