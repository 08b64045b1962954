/**
 * The README's Roles, and the CI Role of docs/ci/ci-role.yaml, are the ones the features' declared
 * needs generate (kube/permissions), so the docs cannot drift from the code. UPDATE_README=1
 * rewrites the README's blocks and the CI Role below its comment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { profileIds, profileYaml, type ProfileId } from '../../../src/kube/permissions/profiles';

const readme = join(__dirname, '../../../README.md');
const ciRole = join(__dirname, '../../../docs/ci/ci-role.yaml');
/** The namespace the pull-request docs bind the CI Role in: their baseline's. */
const ciNamespace = 'shop';
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

test("docs/ci/ci-role.yaml is the generated CI profile, bound in the baseline's namespace, below its comment", () => {
  const split = (text: string) => {
    const lines = text.split('\n');
    const body = lines.findIndex((l) => !l.startsWith('#'));
    return { comment: lines.slice(0, body).join('\n'), yaml: lines.slice(body).join('\n') };
  };
  const generated = profileYaml('ci', ciNamespace);
  if (process.env.UPDATE_README) writeFileSync(ciRole, `${split(readFileSync(ciRole, 'utf8')).comment}\n${generated}`);
  const { comment, yaml } = split(readFileSync(ciRole, 'utf8'));
  assert.ok(comment.length > 0, 'the CI Role says what it is for');
  assert.equal(yaml, generated, 'docs/ci/ci-role.yaml differs from what src/kube/permissions generates (UPDATE_README=1 rewrites it)');
  for (const doc of parseAllDocuments(yaml)) assert.deepEqual(doc.errors, [], 'the CI Role is valid YAML');
});
