// One owner for everything a script starts: cleanups run newest first, exactly once, on normal
// exit, on failure, and on Ctrl+C / SIGTERM / SIGHUP sent to the script (its pid alone is enough:
// the children it started live in process groups of their own and are stopped by their cleanups).
// A second signal does not wait: the force kills run at once and the script exits.
import { ScriptError } from './script-error.mjs';

export class Teardown {
  #steps = [];
  #kills = [];
  #running;
  #signalHandler;

  /** True once teardown has begun (so an exit seen now is expected). */
  get running() {
    return this.#running !== undefined;
  }

  /**
   * Registers `fn` (sync or async) to run at teardown; returns `fn`. `kill`, synchronous, is the
   * last resort when the script must end at once (a second signal).
   */
  add(fn, { kill } = {}) {
    if (this.#running) throw new Error('teardown already running');
    this.#steps.push(fn);
    if (kill) this.#kills.push(kill);
    return fn;
  }

  /** Runs every force kill, newest first (for an exit that cannot wait for the cleanups). */
  kill() {
    for (const kill of this.#kills.splice(0).reverse()) {
      try {
        kill();
      } catch (err) {
        console.error(`kill failed: ${err instanceof Error ? err.message : err}`);
      }
    }
  }

  /** A Teardown for a part of the run: runs when the part ends, or with this one at the latest. */
  child() {
    const child = new Teardown();
    this.add(() => child.run(), { kill: () => child.kill() });
    return child;
  }

  /** Runs every cleanup once, newest first; later calls return the same promise. */
  run() {
    this.#running ??= (async () => {
      for (const step of this.#steps.splice(0).reverse()) {
        try {
          await step();
        } catch (err) {
          console.error(`cleanup failed: ${err instanceof Error ? err.message : err}`);
        }
      }
      if (this.#signalHandler) {
        for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(sig, this.#signalHandler);
      }
    })();
    return this.#running;
  }

  /** On a signal: clean up, then exit with 128 + signal number. A second signal kills what is left and exits at once. */
  handleSignals() {
    let received = false;
    this.#signalHandler = (signal) => {
      const code = 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal] ?? 0);
      if (received) {
        this.kill();
        process.exit(code);
      }
      received = true;
      console.error(`\n${signal}: stopping…`);
      this.run().finally(() => process.exit(code));
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, this.#signalHandler);
    return this;
  }
}

/**
 * Runs `main(teardown)`, always tears down, and exits with main's number (or 1 on an error).
 * `timeoutMs` bounds the whole run.
 */
export async function runScript(main, { timeoutMs } = {}) {
  const teardown = new Teardown().handleSignals();
  let timer;
  let code;
  try {
    const timeout = timeoutMs && new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    });
    code = await (timeout ? Promise.race([main(teardown), timeout]) : main(teardown));
  } catch (err) {
    // A failure the script explains needs no stack trace; one caused by stopping needs no word.
    if (err instanceof ScriptError) console.error(err.message);
    else if (!teardown.running) console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    code = 1;
  } finally {
    clearTimeout(timer);
    await teardown.run();
  }
  process.exit(typeof code === 'number' ? code : 0);
}
