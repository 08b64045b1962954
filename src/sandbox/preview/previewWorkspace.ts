/**
 * The workspace side of a preview, without VS Code: the tether.yaml at the workspace root parsed
 * into a spec (errors refuse, with where and what), and the facts Create Sandbox proposes one from
 * (the Kubernetes manifests in the folder, read from disk).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ExplainedError } from '../../kube/errors';
import { findYamlFiles } from '../../manifests/yamlFiles';
import type { ManifestFile, WorkspaceFacts } from '../detect';
import { parseSpec, specFileName, type SandboxSpec } from '../spec';

const maxFiles = 200;
const maxBytes = 512 * 1024;

/** The spec in `text`, or an ExplainedError naming the first errors with their lines. */
export function specFromText(text: string, file = specFileName): SandboxSpec {
  const parsed = parseSpec(text);
  if (parsed.spec) return parsed.spec;
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  const listed = errors.slice(0, 3).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  throw new ExplainedError({
    reason: 'Invalid',
    what: `Read ${file}`,
    why: `it has ${errors.length} error${errors.length === 1 ? '' : 's'} (${listed.join('; ')}${errors.length > 3 ? '; …' : ''})`,
    remedy: '',
    step: { code: 'fixSpec', file },
  });
}

/** The Kubernetes objects in the folder's YAML files (relative paths), for proposeSpec. */
export async function readWorkspaceFacts(folder: string, options: { defaultNamespace?: string; localPorts?: number[] } = {}): Promise<WorkspaceFacts> {
  const own = join(folder, specFileName);
  const files = (await findYamlFiles([folder], { maxDepth: 4, maxFiles: maxFiles + 1 })).filter((f) => f !== own).slice(0, maxFiles);
  const manifests: ManifestFile[] = [];
  for (const file of files) {
    try {
      if ((await stat(file)).size > maxBytes) continue;
      const objects = parseAllDocuments(await readFile(file, 'utf8'))
        .filter((d) => d.errors.length === 0)
        .map((d) => d.toJS() as unknown)
        .filter((o) => typeof o === 'object' && o !== null && 'kind' in o && 'apiVersion' in o);
      if (objects.length > 0) manifests.push({ path: relative(folder, file), objects });
    } catch {
      // unreadable or not YAML after all: not a manifest
    }
  }
  const facts: WorkspaceFacts = { folderName: basename(folder), manifests };
  if (options.defaultNamespace) facts.defaultNamespace = options.defaultNamespace;
  if (options.localPorts?.length) facts.localPorts = options.localPorts;
  return facts;
}
