/**
 * What the engine asks of the computer it runs on, injected so tests choose it: the front door
 * (which names the Lease's holder), the login and host names, the branch `git` has checked out,
 * and the clock. `nodeHost` is the real one; the editor overrides the branch with its Git view.
 */
import { execFile } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { systemClock, type Clock } from '../kube/clock';

/** Who is asking: the editor, the CLI, or the MCP server an agent talks to. */
export type FrontDoor = 'vscode' | 'cli' | 'mcp';

export interface EngineHost {
  readonly frontDoor: FrontDoor;
  /** The login name on this computer. */
  userName(): string;
  hostName(): string;
  /** The branch checked out in `folder`, or undefined (not a repository, detached HEAD, no git). */
  gitBranch(folder: string): Promise<string | undefined>;
  readonly clock: Clock;
}

/** The branch `git` reports for `folder`, or undefined. */
export function gitBranchOf(folder: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: folder, timeout: 3000 }, (err, stdout) => {
      const name = stdout?.trim();
      resolve(err || !name || name === 'HEAD' ? undefined : name);
    });
  });
}

export function nodeHost(frontDoor: FrontDoor, overrides: Partial<Omit<EngineHost, 'frontDoor'>> = {}): EngineHost {
  return {
    frontDoor,
    userName: () => {
      try {
        return userInfo().username;
      } catch {
        return '';
      }
    },
    hostName: () => hostname(),
    gitBranch: gitBranchOf,
    clock: systemClock,
    ...overrides,
  };
}
