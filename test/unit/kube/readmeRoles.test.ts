/**
 * The README's Roles are the ones the features' declared needs generate (kube/permissions), so
 * the docs cannot drift from the code. UPDATE_README=1 rewrites the blocks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { profileIds, profileYaml, type ProfileId } from '../../../src/kube/permissions/profiles';

const readme = join(__dirname, '../../../README.md');
const block = /<!-- generated: ([a-z-]+) -->\n```yaml\n([\s\S]*?)```/g;

test("the README's Roles are generated from the features' declared needs", () => {
  const text = readFileSync(readme, 'utf8');
  if (process.env.UPDATE_README) {
    writeFileSync(readme, text.replace(block, (_all, id: string) => `<!-- generated: ${id} -->\n\`\`\`yaml\n${profileYaml(id as ProfileId)}\`\`\``));
  }
  const found = new Map([...readFileSync(readme, 'utf8').matchAll(block)].map((m) => [m[1], m[2]]));
  assert.deepEqual([...found.keys()].sort(), [...profileIds].sort(), 'the README has one generated block per Role');
  for (const id of profileIds) {
    assert.equal(found.get(id), profileYaml(id), `README block "${id}" differs from what src/kube/permissions generates (UPDATE_README=1 rewrites it)`);
    for (const doc of parseAllDocuments(found.get(id) ?? '')) assert.deepEqual(doc.errors, [], `${id} is valid YAML`);
  }
});
