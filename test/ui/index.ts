/**
 * The UI scenarios, run in order against one workbench: each either passes or fails with a
 * screenshot of the moment it failed. Called by scripts/run-ui-tests.mjs.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Workbench } from './workbench';
import type { Scenario, UiContext } from './scenario';
import { clusterViewScenarios } from './clusterView.ui';
import { paletteScenarios } from './palette.ui';
import { failureScenarios } from './failures.ui';
import { podDetailsScenarios } from './podDetails.ui';
import { gpuViewScenarios } from './gpuView.ui';
import { previewScenarios } from './preview.ui';
import { completionScenarios } from './completion.ui';

const SCENARIOS: readonly Scenario[] = [...clusterViewScenarios, ...paletteScenarios, ...failureScenarios, ...podDetailsScenarios, ...gpuViewScenarios, ...completionScenarios, ...previewScenarios];

export interface UiRunOptions {
  page: Page;
  resultsDir: string;
  docsImagesDir: string;
  /** Rewrite docs images that exist already (missing ones are always written). */
  updateDocs?: boolean;
  cluster: UiContext['cluster'];
  /** Only scenarios whose name contains this text. */
  filter?: string;
}

export async function runScenarios(options: UiRunOptions): Promise<{ passed: number; failed: number }> {
  const { page, resultsDir, docsImagesDir } = options;
  mkdirSync(resultsDir, { recursive: true });
  for (const old of readdirSync(resultsDir)) if (old.startsWith('FAILED-')) rmSync(join(resultsDir, old));
  const workbench = new Workbench(page);
  const ctx: UiContext = {
    page,
    workbench,
    cluster: options.cluster,
    async screenshot(name) {
      const path = join(resultsDir, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async docsImage(name) {
      const path = join(docsImagesDir, `${name}.png`);
      if (existsSync(path) && !options.updateDocs) return ctx.screenshot(name);
      mkdirSync(docsImagesDir, { recursive: true });
      await page.screenshot({ path });
      return path;
    },
  };
  await workbench.ready();
  let passed = 0;
  let failed = 0;
  for (const scenario of SCENARIOS.filter((s) => !options.filter || s.name.includes(options.filter))) {
    const started = Date.now();
    try {
      await scenario.run(ctx);
      passed++;
      console.log(`  ✔ ${scenario.name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed++;
      const shot = await ctx.screenshot(`FAILED-${scenario.name.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => 'no screenshot');
      console.log(`  ✘ ${scenario.name} (${Date.now() - started} ms)\n    ${err instanceof Error ? err.message.split('\n').join('\n    ') : err}\n    screenshot: ${shot}`);
      await workbench.closeQuickInput().catch(() => undefined);
    }
  }
  return { passed, failed };
}
