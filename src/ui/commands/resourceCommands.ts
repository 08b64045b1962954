/**
 * Commands on one object in the Cluster view: copy its name, describe it, follow its logs, and
 * delete it (only what Tether created; checked again against the live object before asking).
 */
import * as vscode from 'vscode';
import type { KubeObject } from '../../kube/types';
import type { ClusterExplorer } from '../session/explorer';
import type { ErrorReporter } from '../errorReporter';
import { isManagedByTether, managedByLabel, podNode, type ClusterNode } from '../views/clusterModel';
import { hasPreviousRun, podSpecOf } from '../views/podSummary';
import { describeUri } from '../documents/describeDocuments';
import { logsUri } from '../documents/podLogDocuments';
import { kindInfo, needsFor, refLabel, refOf, type ResourceRef } from '../documents/resourceRef';
import type { CommandHandlers } from './commandIds';

type ResourceCommandIds = 'tether.copyName' | 'tether.describeResource' | 'tether.showPodLogs' | 'tether.deleteResource';

function required(node: ClusterNode | undefined, what: string): ResourceRef | undefined {
  const ref = refOf(node);
  if (!ref) void vscode.window.showInformationMessage(`Pick ${what} in the Tether Cluster view (right-click it).`);
  return ref;
}

export function resourceCommands(explorer: ClusterExplorer, reporter: ErrorReporter): Pick<CommandHandlers, ResourceCommandIds> {
  return {
    'tether.copyName': async (node?: ClusterNode) => {
      if (!node || node.type === 'message') return;
      const name = node.type === 'context' ? node.context.name : node.name;
      await vscode.env.clipboard.writeText(name);
      vscode.window.setStatusBarMessage(`Copied ${name}`, 2000);
    },

    'tether.describeResource': async (node?: ClusterNode) => {
      const ref = required(node, 'a workload or pod');
      if (!ref) return;
      const doc = await vscode.workspace.openTextDocument(describeUri(ref));
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
      await vscode.window.showTextDocument(doc, { preview: true });
    },

    'tether.showPodLogs': async (node?: ClusterNode) => {
      let ref = required(node, 'a pod or container');
      if (!ref || ref.kind !== 'Pod') return;
      let previousFirst = node?.type === 'container' && node.previousRun;
      if (!ref.container && node?.type === 'pod') {
        const containers = (podSpecOf(node.object).containers ?? []).map((c) => c.name);
        const container = containers.length === 1 ? containers[0] : await vscode.window.showQuickPick(containers, { title: `Logs of pod ${ref.name}: which container?` });
        if (!container) return;
        ref = { ...ref, container };
        previousFirst = hasPreviousRun(node.object, container);
      }
      const doc = await vscode.workspace.openTextDocument(logsUri(ref, previousFirst));
      await vscode.languages.setTextDocumentLanguage(doc, 'log');
      await vscode.window.showTextDocument(doc, { preview: false });
    },

    'tether.deleteResource': async (node?: ClusterNode) => {
      const ref = required(node, 'an object Tether created');
      if (!ref) return;
      try {
        await deleteManaged(ref);
      } catch (err) {
        reporter.report(err, { needs: needsFor(ref, ['get', 'delete']) });
      }
    },
  };

  /** Deletes `ref` after checking the live object carries Tether's label and the user confirms. */
  async function deleteManaged(ref: ResourceRef): Promise<void> {
    const client = (await explorer.kube()).client(ref.context);
    const live = await client.get<KubeObject>(kindInfo(ref), ref.namespace, ref.name);
    if (!isManagedByTether(live)) {
      void vscode.window.showWarningMessage(
        `Tether only deletes what it created. ${refLabel(ref)} has no label ${managedByLabel}=tether, so it is left alone; use kubectl if you really mean to delete it.`,
      );
      return;
    }
    const pod = ref.kind === 'Pod' ? podNode(ref.context, ref.namespace, live) : undefined;
    const answer = await vscode.window.showWarningMessage(
      `Delete ${refLabel(ref)}?`,
      { modal: true, detail: `Context ${ref.context}.${pod ? ` The pod is ${pod.summary.reason ?? pod.summary.phase}.` : ' Its pods are deleted with it.'}` },
      'Delete',
    );
    if (answer !== 'Delete') return;
    await client.delete(kindInfo(ref), ref.namespace, ref.name, { propagationPolicy: 'Background' });
    vscode.window.setStatusBarMessage(`Deleted ${refLabel(ref)}`, 3000);
  }
}
