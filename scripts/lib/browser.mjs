// Headless Debian Chromium driven by playwright-core, with a fresh profile; closed by the Teardown.
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { BROWSER_PACKAGES, ensureDebianPackages } from './debian-packages.mjs';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function chromiumPath(teardown) {
  await ensureDebianPackages(BROWSER_PACKAGES, 'Driving the workbench', { teardown });
  return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
}

/** Launches Chromium with a persistent profile in `profileDir`; resolves with the BrowserContext. */
export async function launchBrowser(teardown, { profileDir, viewport = { width: 1400, height: 900 } }) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: await chromiumPath(teardown),
    headless: true,
    args: ARGS,
    viewport,
    // The Teardown owns shutdown; Playwright's own handlers would exit the process first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  teardown.add(() => context.close());
  return context;
}
