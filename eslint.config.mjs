import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Below the editor glue: no `vscode`, and nothing from src/ui/ (which would bring `vscode` along).
const pureEngine = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'Only src/ui/ and src/extension.ts may import vscode: keep logic pure and testable.' }],
    patterns: [{ group: ['**/ui', '**/ui/**'], message: 'src/ui/ is the editor\'s front door: the engine, the CLI and the MCP server never import it (move what they share below it, e.g. to src/engine/).' }],
  }],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', 'test-results/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  { files: ['src/**/*.ts'], ignores: ['src/ui/**', 'src/extension.ts'], rules: pureEngine },
);
