/**
 * Progress on stderr: on a terminal one line that redraws with a spinner, otherwise plain lines,
 * each message once (what CI logs keep). Results never go here.
 */
import type { Disposable } from '../lifecycle';
import type { CliIo } from './io';

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class Progress implements Disposable {
  private message = '';
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(private readonly io: Pick<CliIo, 'err' | 'errIsTTY'>) {}

  update(message: string): void {
    if (message === this.message) return;
    this.message = message;
    if (!this.io.errIsTTY) return this.io.err(`${message}\n`);
    this.draw();
    this.timer ??= setInterval(() => this.draw(), 100).unref();
  }

  /** A line that stays (a finished step, a warning), above the spinner. */
  note(line: string): void {
    this.clear();
    this.io.err(`${line}\n`);
    if (this.timer) this.draw();
  }

  private draw(): void {
    this.frame = (this.frame + 1) % frames.length;
    this.io.err(`\r\x1b[2K${frames[this.frame]} ${this.message}`);
    this.shown = true;
  }

  private clear(): void {
    if (this.io.errIsTTY && this.shown) this.io.err('\r\x1b[2K');
    this.shown = false;
  }

  /** Stops the spinner and clears its line. */
  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }
}
