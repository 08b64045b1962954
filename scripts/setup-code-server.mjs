// Installs code-server (VS Code server + workbench) for the extension-host and UI tests, once:
// cached in .vscode-test/code-server/, with the Debian packages that takes (as root or with
// passwordless sudo; otherwise it prints the command to run). Usage: node scripts/setup-code-server.mjs [--force]
import { ensureCodeServer, isCodeServerInstalled, CODE_SERVER_VERSION } from './lib/code-server-install.mjs';
import { runScript } from './lib/teardown.mjs';

runScript(async (teardown) => {
  const force = process.argv.includes('--force');
  if (!force && isCodeServerInstalled()) {
    console.log(`code-server ${CODE_SERVER_VERSION} is installed (cached in .vscode-test/code-server)`);
  } else {
    await ensureCodeServer({ force, teardown });
  }
  return 0;
});
