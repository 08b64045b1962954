/**
 * VS Code's Simple Browser as the workbench shows it: a webview (outer iframe, then its
 * #active-frame) whose document holds the address bar, the navigation buttons and the page's own
 * iframe.
 */
import type { FrameLocator, Page } from 'playwright-core';

export class SimpleBrowser {
  private readonly chrome: FrameLocator;

  constructor(private readonly page: Page) {
    this.chrome = page.frameLocator('iframe.webview.ready[src*="simple-browser"]').frameLocator('#active-frame');
  }

  /** The address bar's URL. */
  async url(): Promise<string> {
    return this.chrome.locator('input.url-input').inputValue();
  }

  /** Waits until the shown page's text matches `pattern`; returns the text. */
  async waitForPage(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const body = this.chrome.frameLocator('.content iframe').locator('body');
    const deadline = Date.now() + timeoutMs;
    let text = '';
    for (;;) {
      text = (await body.count()) ? await body.innerText().catch(() => '') : '';
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`the Simple Browser shows "${text.slice(0, 300)}", never matching ${pattern}`);
      await this.page.waitForTimeout(250);
    }
  }

  /** Clicks the Simple Browser's reload button. */
  async reload(): Promise<void> {
    await this.chrome.locator('button.reload-button').click();
  }
}
