/**
 * Every command Tether contributes, with the arguments it takes. Pure, so the package.json test
 * can check contributions against it; the handlers live in clusterCommands.ts and
 * resourceCommands.ts and are registered from one typed map.
 */
import type { ClusterNode } from '../views/clusterModel';

export interface CommandArgs {
  'tether.selectContext': [context?: string | ClusterNode];
  'tether.filterNamespaces': [];
  'tether.refreshCluster': [];
  'tether.retryConnection': [];
  'tether.showLog': [];
  'tether.pickKubeconfig': [];
  'tether.copyName': [node?: ClusterNode];
  'tether.describeResource': [node?: ClusterNode];
  'tether.showPodLogs': [node?: ClusterNode];
  'tether.deleteResource': [node?: ClusterNode];
}

export type CommandId = keyof CommandArgs;

export type CommandHandlers = { [K in CommandId]: (...args: CommandArgs[K]) => unknown };

/** Commands that act on a tree item and make no sense from the palette. */
export const treeItemCommands: readonly CommandId[] = ['tether.copyName', 'tether.describeResource', 'tether.showPodLogs', 'tether.deleteResource'];

const every: Record<CommandId, true> = {
  'tether.selectContext': true,
  'tether.filterNamespaces': true,
  'tether.refreshCluster': true,
  'tether.retryConnection': true,
  'tether.showLog': true,
  'tether.pickKubeconfig': true,
  'tether.copyName': true,
  'tether.describeResource': true,
  'tether.showPodLogs': true,
  'tether.deleteResource': true,
};

/** Every command id, checked by the compiler to be complete. */
export const commandIds = Object.keys(every) as CommandId[];
