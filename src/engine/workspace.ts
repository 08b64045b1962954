/**
 * The workspace a front door works in: its folder and the text of its tether.yaml. The editor's
 * version reads unsaved edits first; `diskWorkspace` reads the file (the CLI's `--spec`, the MCP
 * server's working folder). Proposing a tether.yaml reads the folder's manifests from disk in both.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ExplainedError } from '../kube/errors';
import { specFromText } from '../sandbox/preview/previewWorkspace';
import { specFileName, type SandboxSpec } from '../sandbox/spec';

export interface Workspace {
  /** The folder (absolute): sandboxes are named for its branch, proposals read its manifests. */
  readonly folder: string;
  /** Where its tether.yaml is (or would be). */
  readonly specPath: string;
  /** The tether.yaml text, or undefined when there is none. */
  readSpec(): Promise<string | undefined>;
}

/** A workspace on disk: `spec` names the tether.yaml (default `<folder>/tether.yaml`); the folder is the spec's when only the spec is given. */
export function diskWorkspace(options: { folder?: string; spec?: string }): Workspace {
  const specPath = resolve(options.spec ?? join(options.folder ?? '.', specFileName));
  const folder = resolve(options.folder ?? dirname(specPath));
  return {
    folder,
    specPath,
    readSpec: async () => {
      try {
        return await readFile(specPath, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
  };
}

/** The workspace's spec (which must exist and be valid), as an explained error otherwise. */
export async function workspaceSpec(workspace: Workspace, what: string): Promise<SandboxSpec> {
  const text = await workspace.readSpec();
  if (text === undefined) throw new ExplainedError({ reason: 'NotFound', what, why: `${workspace.specPath} does not exist`, remedy: '', step: { code: 'createSpec' } });
  return specFromText(text, specFileName);
}
