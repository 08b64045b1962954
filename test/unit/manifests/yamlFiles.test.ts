import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findYamlFiles, MissingPathError, skippedFolders, skippedFoldersGlob } from '../../../src/manifests/yamlFiles';
import { tempFolder } from '../../tempFolder';

test('one walk for YAML: dependency, build and hidden folders skipped, files named explicitly kept, limits kept', async (t) => {
  const root = tempFolder(t, 'yaml');
  const write = (path: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), 'kind: Pod\n');
  };
  for (const f of ['k8s/api.yaml', 'k8s/web.yml', 'k8s/deep/a/b/c/d/far.yaml', 'node_modules/x/chart.yaml', 'dist/out.yaml', '.github/ci.yaml', 'README.md', 'notes.txt']) write(f);
  const found = (await findYamlFiles([root])).map((f) => relative(root, f));
  assert.deepEqual(found, ['k8s/api.yaml', 'k8s/deep/a/b/c/d/far.yaml', 'k8s/web.yml']);
  assert.deepEqual((await findYamlFiles([root], { maxDepth: 3 })).map((f) => relative(root, f)), ['k8s/api.yaml', 'k8s/web.yml']);
  assert.equal((await findYamlFiles([root], { maxFiles: 1 })).length, 1);
  assert.deepEqual(await findYamlFiles([join(root, 'notes.txt')]), [join(root, 'notes.txt')], 'a file named explicitly is linted whatever its name');
  await assert.rejects(findYamlFiles([join(root, 'nope')]), MissingPathError);
  for (const f of skippedFolders) assert.ok(skippedFoldersGlob.includes(`**/${f}/**`));
});
