// Installs code-server (VS Code server + workbench) for the extension-host and UI tests, once:
// cached in .vscode-test/code-server/. Usage: node scripts/setup-code-server.mjs [--force]
import { ensureCodeServer, isCodeServerInstalled, CODE_SERVER_VERSION } from './lib/code-server-install.mjs';

const force = process.argv.includes('--force');
try {
  if (!force && isCodeServerInstalled()) {
    console.log(`code-server ${CODE_SERVER_VERSION} is installed (cached in .vscode-test/code-server)`);
  } else {
    await ensureCodeServer({ force });
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
