/**
 * What every engine operation gets from its front door: the computer (host.ts), the settings as
 * they are now (read in one place per front door), the in-cluster bundles and the log.
 */
import type { Logger } from '../kube/logger';
import type { AgentBundles } from './bundles';
import type { EngineHost } from './host';
import type { TetherSettings } from './settings';

export interface EngineDeps {
  readonly host: EngineHost;
  /** The settings now (the editor's change while it runs). */
  settings(): TetherSettings;
  readonly bundles: AgentBundles;
  readonly logger: Logger;
}
