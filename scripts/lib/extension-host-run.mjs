// Runs an extension-host test entry (a module exporting run()) inside code-server's real extension
// host: the workbench is opened in Chromium with the extension under development and the tests
// path in its URL payload; results come back through window.codeAutomationLog/Exit.
import { format } from 'node:util';
import { openWorkbench } from './workbench-session.mjs';

/** The suite's first line; the workbench's own chatter before it is kept out of the output. */
export const SUITE_START = 'extension-host suite:';

/**
 * Starts code-server and Chromium (stopped by `owner` too, e.g. on Ctrl+C), runs `testsPath`
 * against `extensionPath` in `folder`, stops both. `onLog(line)` sees every line the suite logs.
 * Resolves with {code, log}: code is what the workbench passed to codeAutomationExit.
 */
export async function runInExtensionHost(owner, { label, extensionPath, testsPath, folder, env, timeoutMs = 180000, onLog = (l) => console.log(l) }) {
  const teardown = owner.child();
  const log = [];
  let started = false;
  let settle;
  const exited = new Promise((resolve) => { settle = resolve; });
  let timer;
  try {
    const { server } = await openWorkbench(teardown, {
      label, extensionPath, testsPath, folder, env,
      async beforeOpen(page) {
        await page.exposeFunction('codeAutomationLog', (_type, args) => {
          const text = format(...(Array.isArray(args) ? args : [args]));
          for (const line of text.replace(/\n$/, '').split('\n')) {
            log.push(line);
            if (!started && line.startsWith(SUITE_START)) started = true;
            if (started) onLog(line);
          }
        });
        await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
      },
    });
    const failed = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${label}: no result from the extension host within ${timeoutMs / 1000} s\n` +
        `code-server said:\n${server.output.slice(-30).join('\n')}`)), timeoutMs);
      server.exited.then(({ code, signal }) => reject(new Error(`${label}: code-server exited (${signal ?? code}) before the tests finished\n` +
        `${server.output.slice(-30).join('\n')}`)));
    });
    const code = await Promise.race([exited, failed]);
    if (!started) console.log(`workbench log (the suite never started):\n${log.join('\n')}`);
    return { code, log };
  } finally {
    clearTimeout(timer);
    await teardown.run();
  }
}
