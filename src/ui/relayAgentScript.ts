import * as vscode from 'vscode';

/** The relay agent bundle (dist/relay-agent.js) that tunnels and sandboxes ship in a ConfigMap. */
export async function readRelayAgentScript(extensionUri: vscode.Uri): Promise<string> {
  const uri = vscode.Uri.joinPath(extensionUri, 'dist', 'relay-agent.js');
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (err) {
    throw new Error(`The relay agent bundle is missing at ${uri.fsPath}; this build of Tether is incomplete. Reinstall the extension (or run the build).`, { cause: err });
  }
}
