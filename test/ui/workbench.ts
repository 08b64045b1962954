/**
 * Driving the VS Code workbench in the browser: the activity bar, view rows, the command palette,
 * notifications and editors. Selectors are VS Code's own DOM classes and ARIA labels.
 */
import type { Locator, Page } from 'playwright-core';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function waitForAttribute(locator: Locator, name: string, value: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await locator.getAttribute(name)) !== value) {
    if (Date.now() > deadline) throw new Error(`${name} did not become ${value}`);
    await locator.page().waitForTimeout(100);
  }
}

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

  /** Expands or collapses the side-bar pane `title` by its header. */
  async setPaneExpanded(title: string, expanded: boolean): Promise<void> {
    const header = this.page.locator(`.part.sidebar .pane-header[aria-label^="${title}"]`);
    await header.waitFor({ timeout: 20_000 });
    if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
    await waitForAttribute(header, 'aria-expanded', String(expanded), 5_000);
  }

  /** Gives the side bar to pane `title`: it is expanded, `others` are collapsed (rows stay on screen). */
  async focusPane(title: string, others: string[]): Promise<void> {
    for (const other of others) await this.setPaneExpanded(other, false);
    await this.setPaneExpanded(title, true);
  }

  /** The side-bar pane of view `title` (its body). */
  viewPane(title: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({ has: this.page.locator(`.pane-header[aria-label^="${title}"]`) });
  }

  /** Tree rows of a view whose label is exactly `label` (or contains the text, for a RegExp). */
  treeRow(view: Locator, label: string | RegExp): Locator {
    const name = this.page.locator('.label-name').filter({ hasText: typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label });
    return view.locator('.monaco-list-row').filter({ has: name });
  }

  /** The description text of a tree row (what follows the label). */
  async rowDescription(row: Locator): Promise<string> {
    return (await row.locator('.label-description').first().textContent()) ?? '';
  }

  /** Waits until a row's description matches `pattern`; returns it. */
  async waitForDescription(row: Locator, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    for (;;) {
      text = (await row.count()) ? await this.rowDescription(row.first()) : '';
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`row description "${text}" never matched ${pattern}`);
      await this.page.waitForTimeout(200);
    }
  }

  /** Expands a collapsed tree row. */
  /** Expands a tree row; a click that lands while the row is re-rendered (a ticking age) is tried again. */
  async expand(row: Locator, timeoutMs = 10_000): Promise<void> {
    await row.waitFor({ timeout: 20_000 });
    const deadline = Date.now() + timeoutMs;
    const twistie = row.locator('.monaco-tl-twistie');
    while ((await row.getAttribute('aria-expanded')) === 'false') {
      // Still loading the children of the last click: clicking again would collapse it.
      if (!(await twistie.evaluate((e) => e.classList.contains('codicon-tree-item-loading')))) await twistie.click();
      const left = deadline - Date.now();
      if (left <= 0) break;
      await waitForAttribute(row, 'aria-expanded', 'true', Math.min(2_000, left)).catch(() => undefined);
    }
    await waitForAttribute(row, 'aria-expanded', 'true', 1_000);
  }

  /** Drags the side bar's edge by `dx` pixels (wider rows in screenshots). */
  async widenSideBar(dx: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) throw new Error('the side bar is not visible');
    const x = box.x + box.width;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x - 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x - 1 + dx, y, { steps: 5 });
    await this.page.mouse.up();
    await this.page.mouse.move(box.x + box.width + dx + 200, y); // off the sash, so it is not highlighted
  }

  /** Opens a row's context menu and runs the entry `title`. */
  async contextMenu(row: Locator, title: string): Promise<void> {
    await row.click({ button: 'right' });
    const entry = this.page.locator('.context-view .monaco-menu .action-item .action-label', { hasText: title }).first();
    await entry.waitFor({ timeout: 10_000 });
    // VS Code's menus ignore a click that comes right after they open.
    await entry.hover();
    await this.page.waitForTimeout(200);
    await entry.click();
    await this.page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden', timeout: 5_000 });
  }

  /** Text of the visible lines of the active editor. */
  async activeEditorText(): Promise<string> {
    const lines = this.page.locator('.part.editor .editor-instance .monaco-editor .view-lines').first();
    await lines.waitFor({ timeout: 15_000 });
    return (await lines.innerText()).replace(/\u00a0/g, ' ');
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

  /** Opens `file` of the workspace through Quick Open. */
  async openFile(file: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(file);
    await this.quickPickRows().filter({ hasText: file }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
    await this.activeEditorTitle().filter({ hasText: file }).waitFor({ timeout: 15_000 });
  }

  /** Moves the active editor's cursor to the start of 1-based `line` (Go to Line). */
  async goToLine(line: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`:${line}`);
    await this.quickPickRows().filter({ hasText: new RegExp(`line ${line}\\b`, 'i') }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Picks the quick-pick row whose label is exactly `label`. */
  async pick(label: string): Promise<void> {
    const row = this.quickPickRows().filter({ has: this.page.locator('.label-name').filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
    await row.first().waitFor({ timeout: 15_000 });
    await row.first().click();
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
