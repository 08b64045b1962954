/** The extension under test, as VS Code sees it. */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  publisher: string;
  name: string;
  contributes?: { commands?: Array<{ command: string }> };
};

export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
export const CONTRIBUTED_COMMANDS = (manifest.contributes?.commands ?? []).map((c) => c.command);

export function tetherExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext;
}
