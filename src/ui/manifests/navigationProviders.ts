/**
 * Go to Definition / Peek, Find References and the outline for Kubernetes YAML: the engine's
 * targets as VS Code locations. A target that exists only in the cluster opens read-only, as
 * Describe does (Secrets as metadata only).
 */
import * as vscode from 'vscode';
import { kinds, type KindName } from '../../kube/kinds';
import { definitionAt, type NavTarget } from '../../manifests/navigate/definition';
import { referencesAt } from '../../manifests/navigate/references';
import { documentSymbols, type ManifestSymbol } from '../../manifests/navigate/symbols';
import type { Location } from '../../manifests/navigate/workspaceIndex';
import type { Range } from '../../manifests/types';
import { describeUri } from '../documents/describeDocuments';
import type { ManifestSources } from './manifestSources';

function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function toLocation(l: Location): vscode.Location {
  return new vscode.Location(vscode.Uri.parse(l.file), toRange(l.range));
}

function targetLocation(t: NavTarget): vscode.Location | undefined {
  if (t.type === 'workspace') return toLocation(t.location);
  if (!(t.kind in kinds)) return undefined;
  return new vscode.Location(describeUri({ context: t.context, namespace: t.namespace, kind: t.kind as KindName, name: t.name }), new vscode.Position(0, 0));
}

export class ManifestDefinitions implements vscode.DefinitionProvider {
  constructor(private readonly sources: ManifestSources) {}

  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.Location[] | undefined {
    if (!this.sources.isManifest(document)) return undefined;
    const analysis = this.sources.analysis(document);
    const targets = definitionAt({ analysis, offset: document.offsetAt(position), workspace: this.sources.workspace(analysis), cluster: this.sources.cluster() });
    const locations = targets.map(targetLocation).filter((l): l is vscode.Location => l !== undefined);
    return locations.length ? locations : undefined;
  }
}

export class ManifestReferences implements vscode.ReferenceProvider {
  constructor(private readonly sources: ManifestSources) {}

  provideReferences(document: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): vscode.Location[] | undefined {
    if (!this.sources.isManifest(document)) return undefined;
    const analysis = this.sources.analysis(document);
    const found = referencesAt({ analysis, offset: document.offsetAt(position), workspace: this.sources.workspace(analysis) }, context.includeDeclaration);
    return found.length ? found.map(toLocation) : undefined;
  }
}

const SYMBOL_KIND: Record<ManifestSymbol['kind'], vscode.SymbolKind> = {
  resource: vscode.SymbolKind.Class,
  container: vscode.SymbolKind.Field,
  initContainer: vscode.SymbolKind.Field,
};

function toSymbol(s: ManifestSymbol): vscode.DocumentSymbol {
  const range = toRange(s.range);
  const selection = toRange(s.selectionRange);
  const symbol = new vscode.DocumentSymbol(s.name, s.detail ?? '', SYMBOL_KIND[s.kind], range, range.contains(selection) ? selection : range);
  symbol.children = s.children.map(toSymbol);
  return symbol;
}

export class ManifestSymbols implements vscode.DocumentSymbolProvider {
  constructor(private readonly sources: ManifestSources) {}

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] | undefined {
    if (!this.sources.isManifest(document)) return undefined;
    return documentSymbols(this.sources.analysis(document)).map(toSymbol);
  }
}
