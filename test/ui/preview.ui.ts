/**
 * The one-click preview: the sample workspace (a copy, with its service running on this computer),
 * the Preview button in the status bar, the Simple Browser showing the local service's answer
 * through the sandbox in the demo cluster; an edit in the editor, a reload, the change.
 */
import type { Page } from 'playwright-core';
import type { Scenario } from './scenario';
import { SampleService } from './sampleService';
import { SimpleBrowser } from './simpleBrowser';
import type { Workbench } from './workbench';

/** Reopens the workbench on `folder` (same code-server, same extension under development). */
async function openFolder(page: Page, workbench: Workbench, folder: string): Promise<void> {
  const url = new URL(page.url());
  url.searchParams.set('folder', folder);
  await page.goto(url.toString());
  await workbench.ready();
}

/** Replaces the one `from` in the editor of `file` with `to` through the Replace widget, then saves. */
async function replaceInEditor(workbench: Workbench, file: string, from: string, to: string): Promise<void> {
  const { page } = workbench;
  await page.locator('.part.editor .tab', { hasText: file }).click();
  await workbench.activeEditorTitle().filter({ hasText: file }).waitFor({ timeout: 15_000 });
  await page.locator('.part.editor .editor-group-container.active .monaco-editor textarea').first().focus();
  await page.keyboard.press('Control+H');
  const widget = page.locator('.part.editor .find-widget.visible');
  await widget.locator('.find-part textarea').fill(from);
  const replace = widget.locator('.replace-part textarea');
  await replace.fill(to);
  await widget.locator('.matchesCount').filter({ hasText: /^1 of 1$/ }).waitFor({ state: 'attached', timeout: 10_000 });
  await replace.press('Control+Alt+Enter'); // Replace All
  await widget.locator('.matchesCount').filter({ hasText: /^No results$/ }).waitFor({ state: 'attached', timeout: 10_000 });
  await widget.locator('.codicon-widget-close').click();
  await widget.waitFor({ state: 'hidden', timeout: 5_000 });
  await page.keyboard.press('Control+S');
  await page.locator('.part.editor .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
}

export const previewScenarios: Scenario[] = [
  {
    name: 'Preview Changes: the Simple Browser shows the local service through the sandbox, and an edit after a reload',
    async run({ page, workbench, screenshot, docsImage }) {
      const home = page.url();
      const service = await SampleService.start();
      try {
        await openFolder(page, workbench, service.folder);
        await workbench.openFile('server.js');
        await workbench.runCommand('View: Close Primary Side Bar'); // room for the editor beside the preview
        const button = page.locator('.part.statusbar .statusbar-item[id$="tether.preview"] a');
        await button.filter({ hasText: /Preview/ }).waitFor({ timeout: 60_000 });
        await button.click();

        const notice = workbench.notifications().filter({ hasText: /Preview of "/ });
        const browser = new SimpleBrowser(page);
        await browser.waitForPage(/"servedBy":"local"/, 90_000).catch(async (err: Error) => {
          const shown = await workbench.notifications().allInnerTexts();
          throw new Error(`${err.message}; notifications: ${shown.join(' | ') || 'none'}`);
        });
        const text = await browser.waitForPage(/"name":"Tether mug"/);
        const url = await browser.url();
        if (!/^http:\/\/127\.0\.0\.1:\d+\/products/.test(url)) throw new Error(`the Simple Browser is at ${url}, not the preview URL`);
        if (url.startsWith(`${service.url}/`)) throw new Error(`the Simple Browser shows the local service itself (${url}), not the sandbox`);
        if (!text.includes('"servedBy":"local"')) throw new Error(`the sandbox did not answer from this computer: ${text}`);
        const sandbox = /Preview of "([^"]+)"/.exec(await notice.first().innerText())?.[1];
        if (!sandbox) throw new Error('no "Preview of" notification');
        await screenshot('preview-simple-browser');

        await replaceInEditor(workbench, 'server.js', 'Tether mug', 'Tether travel mug');
        await service.waitForResponse('/products', /"name":"Tether travel mug"/);
        await browser.reload();
        await browser.waitForPage(/"name":"Tether travel mug".*"servedBy":"local"/s);
        await screenshot('preview-after-edit');
        await docsImage('preview');

        await workbench.runCommand('Notifications: Clear All Notifications');
        // The Simple Browser's page may take the focus as it settles, which would close the pick below.
        await workbench.runCommand('View: Close All Editors');
        await workbench.runCommand('Tether: Delete Sandbox');
        await workbench.pick(sandbox);
        await page.locator('.monaco-dialog-box .dialog-buttons a.monaco-button', { hasText: /^Delete$/ }).click();
        await workbench.notifications().filter({ hasText: `Sandbox "${sandbox}" deleted` }).waitFor({ timeout: 30_000 });
      } catch (err) {
        // The runner's screenshot comes after the workbench is back on the sample folder.
        await screenshot('FAILED-preview-in-workspace-copy').catch(() => undefined);
        throw err;
      } finally {
        service.stop();
        await openFolder(page, workbench, new URL(home).searchParams.get('folder') ?? '');
      }
    },
  },
];
