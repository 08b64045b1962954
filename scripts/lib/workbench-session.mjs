// code-server plus headless Chromium showing its workbench with the extension under development:
// the piece the extension-host runner, the UI runner and the activation benchmark share.
import { join } from 'node:path';
import { startCodeServer } from './code-server.mjs';
import { launchBrowser } from './browser.mjs';
import { workbenchUrl } from './workbench-url.mjs';
import { tempDir } from './temp-dir.mjs';

/**
 * Starts code-server (environment `env`, user `settings`) and Chromium, both owned by `teardown`,
 * and opens the workbench on `folder` with `extensionPath` loaded (and `testsPath` run, if given);
 * `vsix` is installed into code-server first (then `extensionPath` may be left out).
 * `beforeOpen(page)` runs before navigation (e.g. to expose functions to the page).
 * Resolves with {page, server}.
 */
export async function openWorkbench(teardown, { label, extensionPath, testsPath, folder, env, settings, vsix, viewport, beforeOpen }) {
  const root = tempDir(teardown, label);
  const server = await startCodeServer(teardown, { root: join(root, 'code-server'), env, settings, vsix });
  const context = await launchBrowser(teardown, { profileDir: join(root, 'chromium'), viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => console.error(`[workbench] ${err.message}`));
  await beforeOpen?.(page);
  await page.goto(workbenchUrl(server.origin, { folder, extensionDevelopmentPath: extensionPath, extensionTestsPath: testsPath }));
  return { page, server };
}
