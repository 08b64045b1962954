// Runs an extension-host test entry (a module exporting run()) inside code-server's real extension
// host: the workbench is opened in Chromium with the extension under development and the tests
// path in its URL payload; results come back through window.codeAutomationLog/Exit.
import { join } from 'node:path';
import { format } from 'node:util';
import { startCodeServer } from './code-server.mjs';
import { launchBrowser } from './browser.mjs';
import { workbenchUrl } from './workbench-url.mjs';
import { tempDir } from './temp-dir.mjs';

/** The suite's first line; the workbench's own chatter before it is kept out of the output. */
export const SUITE_START = 'extension-host suite:';

/**
 * Starts code-server and Chromium (stopped by `owner` too, e.g. on Ctrl+C), runs `testsPath` against `extensionPath` in `folder`, stops both.
 * `onLog(line)` sees every line the tests log. Resolves with {code, log} (code = codeAutomationExit).
 */
export async function runInExtensionHost(owner, { label, extensionPath, testsPath, folder, env, timeoutMs = 180000, onLog = (l) => console.log(l) }) {
  const teardown = owner.child();
  const log = [];
  let started = false;
  try {
    const root = tempDir(teardown, label);
    const server = await startCodeServer(teardown, { root: join(root, 'code-server'), env });
    const context = await launchBrowser(teardown, { profileDir: join(root, 'chromium') });
    const page = context.pages()[0] ?? (await context.newPage());
    let settle;
    const exited = new Promise((resolve) => { settle = resolve; });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      for (const l of line.replace(/\n$/, '').split('\n')) {
        log.push(l);
        if (started) onLog(l, type);
        else if (l.startsWith(SUITE_START)) {
          started = true;
          onLog(l, type);
        }
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
    page.on('pageerror', (err) => console.error(`[workbench] ${err.message}`));
    await page.goto(workbenchUrl(server.origin, { folder, extensionDevelopmentPath: extensionPath, extensionTestsPath: testsPath }));
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${label}: no result from the extension host within ${timeoutMs / 1000} s\n` +
        `code-server said:\n${server.output.slice(-30).join('\n')}`)), timeoutMs);
    });
    try {
      const code = await Promise.race([exited, timeout]);
      if (!started) console.log(`workbench log (the suite never started):\n${log.join('\n')}`);
      return { code, log };
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await teardown.run();
  }
}
