/** The extension under test, as VS Code sees it, and its test API. */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TetherApi } from '../../../src/ui/api';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  publisher: string;
  name: string;
  contributes?: { commands?: Array<{ command: string }> };
};

export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
export const CONTRIBUTED_COMMANDS = (manifest.contributes?.commands ?? []).map((c) => c.command);

export function tetherExtension(): vscode.Extension<TetherApi> {
  const ext = vscode.extensions.getExtension<TetherApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

/** Activates Tether (if it is not yet) and returns its test API. */
export async function tetherApi(): Promise<TetherApi> {
  const api = await tetherExtension().activate();
  if (!api?.clusterTree) throw new Error('activate() did not return the test API');
  return api;
}
