// The workbench URL that opens a folder in code-server and loads an extension under development
// (and optionally its extension-host tests), as VS Code's own browser integration tests do it.

/**
 * `origin` like http://127.0.0.1:PORT; `folder`, `extensionDevelopmentPath` (one path or several),
 * `extensionTestsPath` are absolute paths on the code-server machine.
 */
export function workbenchUrl(origin, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = `vscode-remote://${new URL(origin).host}`;
  const payload = [];
  for (const path of [extensionDevelopmentPath ?? []].flat()) payload.push(['extensionDevelopmentPath', `${remote}${path}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `${remote}${extensionTestsPath}`]);
  payload.push(['skipWelcome', 'true']);
  const params = new URLSearchParams();
  if (folder) params.set('folder', folder);
  params.set('payload', JSON.stringify(payload));
  return `${origin}/?${params}`;
}
