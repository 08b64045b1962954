/** What a UI scenario gets: the workbench, where screenshots go, and the cluster it runs against. */
import type { Page } from 'playwright-core';
import type { Workbench } from './workbench';

export interface UiContext {
  page: Page;
  workbench: Workbench;
  /** Saves a full-page screenshot as test-results/<name>.png; returns its path. */
  screenshot(name: string): Promise<string>;
  /** Saves the screenshot used by the README (docs/images/<name>.png; test-results/ unless updating docs). */
  docsImage(name: string): Promise<string>;
  /**
   * The simulator's kubeconfig (for REST calls), the context it sets current, and a second
   * context in KUBECONFIG whose server nothing answers.
   */
  cluster: { kubeconfig: string; context: string; unreachableContext: string };
}

export interface Scenario {
  name: string;
  run(ctx: UiContext): Promise<void>;
}
