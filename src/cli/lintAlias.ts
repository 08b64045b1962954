/**
 * `tether-lint …`, the alias of `tether lint …` that scripts written for the linter alone keep
 * calling: bundled to dist/tether-lint.js, it runs the CLI bundle beside it (dist/tether.js)
 * rather than carrying a second copy of it.
 */
import type { main as cliMain } from './main';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle beside this one when it runs, not a module to bundle
const { main } = require('./tether.js') as { main: typeof cliMain };
main(['lint', ...process.argv.slice(2)]);
