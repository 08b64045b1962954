// A failure a script explains in its message (what failed, why, the one command that fixes it):
// printed as it is, without a stack trace, and the script exits non-zero.
export class ScriptError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ScriptError';
  }
}
