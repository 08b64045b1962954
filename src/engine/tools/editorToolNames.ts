/**
 * The names the editor registers its language-model tools under, apart from the definitions
 * (toolDefinitions.ts uses them), so the extension's bundle carries the names and not every
 * tool's schemas and descriptions, which VS Code reads from package.json.
 */
export const editorToolNames = { preview: 'tether_preview', sandbox_status: 'tether_sandbox_status' } as const;
