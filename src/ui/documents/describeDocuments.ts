/**
 * Read-only YAML of one object, fetched fresh from the API server, on scheme `tether-describe`.
 * Failures become a commented explanation in the document and a notification.
 */
import * as vscode from 'vscode';
import { metadataAccept } from '../../kube/api';
import type { ExplainedError } from '../../kube/errors';
import { resourcePath } from '../../kube/kinds';
import type { ClusterExplorer } from '../session/explorer';
import type { ErrorReporter } from '../errorReporter';
import { kindInfo, needsFor, refFromUriParts, refLabel, refToUriParts, slimForDescribe, type ResourceRef } from './resourceRef';
import { editorRemedy } from '../stepWords';

export const describeScheme = 'tether-describe';

export function describeUri(ref: ResourceRef): vscode.Uri {
  return vscode.Uri.from({ scheme: describeScheme, ...refToUriParts({ ...ref, container: undefined }, 'yaml') });
}

export class DescribeDocuments implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly explorer: ClusterExplorer,
    private readonly reporter: ErrorReporter,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const ref = refFromUriParts(uri.path, uri.query);
    if (!ref) return `# ${uri.toString()} does not name a Kubernetes object.\n`;
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const client = (await this.explorer.kube()).client(ref.context);
      type Described = { metadata?: { managedFields?: unknown; annotations?: Record<string, string> } };
      // A Secret is read as metadata only: its data never reaches the editor.
      const secret = ref.kind === 'Secret';
      const obj = secret
        ? await client.request<Described>({ what: `Get the metadata of Secret "${ref.name}"`, path: resourcePath(kindInfo(ref), ref.namespace, ref.name), accept: metadataAccept, signal: abort.signal })
        : await client.get<Described>(kindInfo(ref), ref.namespace, ref.name, abort.signal);
      const { stringify } = await import('yaml');
      const text = stringify(slimForDescribe(obj), { lineWidth: 0 });
      return secret ? `# Secret ${ref.namespace}/${ref.name}: metadata only, its data is not read.\n${text}` : text;
    } catch (err) {
      this.reporter.report(err, { needs: needsFor(ref, ['get']) });
      const e = err as Partial<ExplainedError>;
      const next = editorRemedy({ ...e, remedy: e.remedy ?? '' });
      return [`# Describe ${refLabel(ref)} failed`, `# Why: ${e.why ?? String(err)}`, ...(next ? [`# Next: ${next}`] : []), ''].join('\n');
    } finally {
      sub.dispose();
    }
  }
}
