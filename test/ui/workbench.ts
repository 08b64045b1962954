/**
 * Driving the VS Code workbench in the browser: the activity bar, view rows, the command palette,
 * notifications and editors. Selectors are VS Code's own DOM classes and ARIA labels.
 */
import type { Locator, Page } from 'playwright-core';

export class Workbench {
  constructor(readonly page: Page) {}

  async ready(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: timeoutMs });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: timeoutMs });
  }

  /** The activity-bar entry of a view container, by its title. */
  activityItem(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`);
  }

  /** Shows the view container `title` in the side bar (clicking only when it is not already shown). */
  async openContainer(title: string): Promise<void> {
    const item = this.activityItem(title);
    await item.waitFor({ timeout: 30_000 });
    const checked = await item.getAttribute('aria-checked') ?? await item.getAttribute('aria-expanded');
    if (checked !== 'true') await item.click();
    await this.page.locator(`.part.sidebar .composite.title h2[title^="${title}" i], .part.sidebar .title-label h2`).first().waitFor();
  }

  /** The side-bar pane of view `title` (its body). */
  viewPane(title: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({ has: this.page.locator(`.pane-header[aria-label^="${title}"]`) });
  }

  /** Tree rows of a view whose accessible label contains `text`. */
  treeRow(view: Locator, text: string | RegExp): Locator {
    return view.locator('.monaco-list-row').filter({ hasText: text });
  }

  /** Expands a collapsed tree row by clicking its twistie. */
  async expand(row: Locator): Promise<void> {
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.click();
      await row.press('ArrowRight');
    }
  }

  /** Runs a command through the command palette by its title, e.g. "Tether: Refresh Cluster". */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: 15_000 });
    await input.press('Enter');
  }

  /** The rows currently offered by an open quick pick. */
  quickPickRows(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  }

  async closeQuickInput(): Promise<void> {
    if (await this.page.locator('.quick-input-widget').isVisible()) await this.page.keyboard.press('Escape');
  }

  /** The title of the active editor tab. */
  activeEditorTitle(): Locator {
    return this.page.locator('.part.editor .tab.active .label-name');
  }

  notifications(): Locator {
    return this.page.locator('.notifications-toasts .notification-toast');
  }
}
