/** The sandbox's copy of a forked baseline workload, by kind. */
import type { KubeObject } from '../../kube/types';
import type { DesiredObject } from '../desired';
import { forkDeployment, type ObjectNaming } from './fork';
import { forkStatefulSet } from './forkStatefulSet';
import type { ForkSpec } from '../spec';

/** `forkServices` are the fork's Services (forkServices): a StatefulSet's serviceName points at one of them when it is headless. */
export function forkWorkload(fork: ForkSpec, baseline: KubeObject, forkServices: readonly DesiredObject[], naming: ObjectNaming): DesiredObject[] {
  switch (fork.workload.kind) {
    case 'StatefulSet':
      return forkStatefulSet(fork, baseline, forkServices, naming);
    case 'Deployment':
      return [forkDeployment(fork, baseline, naming)];
  }
}
