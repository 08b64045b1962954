/**
 * Writing a manifest: in the sample workspace's k8s/api.yaml, a nodeSelector under the pod spec
 * gets the demo cluster's GPU node labels (GPU product first, from the cluster) in the suggest
 * widget, with where each item came from; the Deployment's lens shows its live state. The file
 * is reverted afterwards.
 */
import type { Scenario } from './scenario';

export const completionScenarios: Scenario[] = [
  {
    name: 'completion offers the cluster\'s GPU node labels for a nodeSelector, saying where they came from',
    async run({ page, workbench, screenshot, docsImage }) {
      await workbench.runCommand('View: Close All Editors');
      await workbench.openFile('api.yaml');
      const editor = page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
      try {
        // A flow map on a new line above line 19 ("      containers:"), in the pod spec: one line typed, nothing re-indented.
        await workbench.goToLine(19);
        await page.keyboard.press('Enter');
        await page.keyboard.press('ArrowUp');
        await page.keyboard.insertText('      nodeSelector: {  }');
        await page.keyboard.press('Escape');
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('ArrowLeft');
        const widget = editor.locator('.suggest-widget.visible');
        const gpuLabel = widget.locator('.monaco-list-row', { hasText: 'nvidia.com/gpu.product' }).filter({ hasText: 'cluster' });
        const deadline = Date.now() + 60_000;
        // The first request starts the cluster lookups (well-known labels meanwhile); the cluster's arrive with their answers.
        while (!(await gpuLabel.count())) {
          if (Date.now() > deadline) throw new Error(`no cluster node labels offered; the widget shows: ${(await widget.allInnerTexts()).join(' | ') || 'nothing'}`);
          await page.keyboard.press('Escape');
          await page.keyboard.press('Control+Space');
          await page.waitForTimeout(500);
        }
        const first = widget.locator('.monaco-list-row').first();
        const firstText = await first.innerText();
        if (!/nvidia\.com\/gpu\.product/.test(firstText) || !/cluster/.test(firstText)) throw new Error(`the first item is "${firstText}", not the GPU product label from the cluster`);
        const details = editor.locator('.suggest-details-container .suggest-details');
        if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
        await details.filter({ hasText: /From: cluster .* nodes/ }).waitFor({ timeout: 10_000 });
        // The Deployment's live-state lens, next to "Will it schedule?", once the cluster has answered.
        await editor.locator('.codelens-decoration', { hasText: /2\/2 ready · \d+ restarts?/ }).waitFor({ timeout: 30_000 });
        await screenshot('completion');
        await docsImage('completion');
        await page.keyboard.press('Escape');
      } finally {
        await page.keyboard.press('Escape');
        await workbench.closeQuickInput();
        await workbench.runCommand('File: Revert File');
        await page.locator('.part.editor .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
        await workbench.runCommand('View: Close All Editors');
      }
    },
  },
];
