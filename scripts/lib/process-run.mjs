// Runs a short-lived command to completion, streaming or capturing its output; rejects with the
// command line and its output tail when it fails. With `teardown`, the command is owned by it
// (child-process.mjs): a script that is stopped stops the command and what it started.
import { spawn } from 'node:child_process';
import { spawnOwned } from './child-process.mjs';

export function run(cmd, args, { cwd, env, quiet = false, teardown } = {}) {
  return new Promise((resolve, reject) => {
    const options = { cwd, env: env ?? process.env };
    const child = teardown ? spawnOwned(teardown, cmd, args, options) : spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (stream, sink) => stream.on('data', (chunk) => {
      output = (output + chunk).slice(-20000);
      if (!quiet) sink.write(chunk);
    });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd ?? process.cwd()}) failed with ${signal ?? `exit ${code}`}\n${output.slice(-4000)}`));
    });
  });
}
