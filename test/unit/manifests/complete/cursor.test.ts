import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cursorContext, ITEM, type CursorContext } from '../../../../src/manifests/complete/cursor';

/** The context at the "‸" in `source` (the caret is removed from the text). */
function at(source: string): CursorContext | undefined {
  const offset = source.indexOf('‸');
  assert.ok(offset >= 0, 'the test text marks the cursor with ‸');
  return cursorContext(source.slice(0, offset) + source.slice(offset + 1), offset);
}

function must(source: string): CursorContext {
  const ctx = at(source);
  assert.ok(ctx, 'a context');
  return ctx;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
`;

test('an empty document of a multi-document file: a key at the root, no kind yet', () => {
  const ctx = must(`${deployment}---\n‸\n---\napiVersion: v1\nkind: Service\n`);
  assert.deepEqual(ctx.path, []);
  assert.equal(ctx.slot, 'key');
  assert.equal(ctx.kind, undefined);
  assert.equal(ctx.column, 0);
  const last = must(`${deployment}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ‸`);
  assert.equal(last.kind, 'Service');
  assert.deepEqual(last.path, ['spec']);
});

test('a key under a map: path, prefix, the whole word replaced, siblings before and after', () => {
  const src = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  lab‸els2\n  annotations: {}\nspec: {}\n`;
  const ctx = must(src);
  assert.deepEqual(ctx.path, ['metadata']);
  assert.equal(ctx.slot, 'key');
  assert.equal(ctx.prefix, 'lab');
  const text = src.replace('‸', '');
  assert.equal(text.slice(ctx.replaceStart, ctx.replaceEnd), 'labels2');
  assert.deepEqual(ctx.siblings.sort(), ['annotations', 'name']);
  assert.equal(ctx.column, 2);
  assert.equal(ctx.keyHasColon, false);
});

test('a key in a list item written on the next line, and one right after "- "', () => {
  const next = must(`${deployment}          ima‸\n          ports: []\n`);
  assert.deepEqual(next.path, ['spec', 'template', 'spec', 'containers', ITEM]);
  assert.equal(next.prefix, 'ima');
  assert.deepEqual(next.siblings.sort(), ['name', 'ports']);
  assert.equal(next.column, 10);
  assert.equal(next.kind, 'Deployment');
  assert.equal(next.namespace, 'shop');
  const item = must(`${deployment}        - ‸\n          image: x\n`);
  assert.deepEqual(item.path, ['spec', 'template', 'spec', 'containers', ITEM]);
  assert.equal(item.newItem, true);
  assert.equal(item.column, 10);
  assert.deepEqual(item.siblings, ['image']);
});

test('lists written at the parent key\'s column (compact) and lists of lists', () => {
  const compact = must(`kind: Pod\nspec:\n  containers:\n  - name: a\n    ‸\n`);
  assert.deepEqual(compact.path, ['spec', 'containers', ITEM]);
  assert.deepEqual(compact.siblings, ['name']);
  const nested = must(`kind: X\nmatrix:\n  - - ‸\n`);
  assert.deepEqual(nested.path, ['matrix', ITEM, ITEM]);
  const afterNested = must(`kind: Pod\nspec:\n  containers:\n  - name: a\n    ports:\n    - containerPort: 80\n  ‸\n`);
  assert.deepEqual(afterNested.path, ['spec']);
  assert.deepEqual(afterNested.siblings, ['containers']);
});

test('values: after "key: ", partly typed, right after the colon, quoted, in a list item', () => {
  const empty = must(`${deployment}          imagePullPolicy: ‸\n`);
  assert.equal(empty.slot, 'value');
  assert.deepEqual(empty.path, ['spec', 'template', 'spec', 'containers', ITEM, 'imagePullPolicy']);
  assert.equal(empty.prefix, '');
  assert.equal(empty.needsSpace, false);
  const typed = must(`${deployment}          imagePullPolicy: If‸Not # comment\n`);
  assert.equal(typed.prefix, 'If');
  const text = `${deployment}          imagePullPolicy: IfNot # comment\n`;
  assert.equal(text.slice(typed.replaceStart, typed.replaceEnd), 'IfNot');
  const glued = must(`${deployment}          imagePullPolicy:‸\n`);
  assert.equal(glued.needsSpace, true);
  const quoted = must(`${deployment}          image: "ngi‸"\n`);
  assert.equal(quoted.quote, '"');
  assert.equal(quoted.prefix, 'ngi');
  const inItem = must(`kind: Pod\nspec:\n  containers:\n    - name: a‸\n`);
  assert.deepEqual(inItem.path, ['spec', 'containers', ITEM, 'name']);
  assert.equal(inItem.prefix, 'a');
});

test('inside flow maps and flow lists, on one line or several', () => {
  const port = must(`${deployment}          readinessProbe:\n            httpGet: { path: /ready, port: ‸}\n`);
  assert.equal(port.flow, true);
  assert.equal(port.slot, 'value');
  assert.deepEqual(port.path, ['spec', 'template', 'spec', 'containers', ITEM, 'readinessProbe', 'httpGet', 'port']);
  const key = must(`${deployment}          resources: { limits: { nvi‸, cpu: 1 }, requests: {} }\n`);
  assert.equal(key.slot, 'key');
  assert.deepEqual(key.path, ['spec', 'template', 'spec', 'containers', ITEM, 'resources', 'limits']);
  assert.equal(key.prefix, 'nvi');
  assert.deepEqual(key.siblings, ['cpu']);
  const list = must(`${deployment}          args: [--port, ‸]\n`);
  assert.deepEqual(list.path, ['spec', 'template', 'spec', 'containers', ITEM, 'args', ITEM]);
  assert.equal(list.slot, 'value');
  const item = must(`kind: Pod\nspec:\n  tolerations: [{ key: x, effect: ‸ }]\n`);
  assert.deepEqual(item.path, ['spec', 'tolerations', ITEM, 'effect']);
  const itemFlow = must(`kind: Pod\nspec:\n  containers:\n    - { name: a, im‸ }\n`);
  assert.deepEqual(itemFlow.path, ['spec', 'containers', ITEM]);
  assert.deepEqual(itemFlow.siblings, ['name']);
  const multi = must(`kind: Pod\nmetadata:\n  labels: {\n    app: web,\n    ‸\n  }\n`);
  assert.equal(multi.flow, true);
  assert.deepEqual(multi.path, ['metadata', 'labels']);
  assert.deepEqual(multi.siblings, ['app']);
  const closed = must(`kind: Pod\nmetadata:\n  labels: { app: web }\n  ‸\n`);
  assert.equal(closed.flow, false);
  assert.deepEqual(closed.path, ['metadata']);
});

test('nothing to complete inside comments, block scalars, plain multi-line scalars and on document markers', () => {
  assert.equal(at(`kind: Pod\n# a comm‸ent\n`), undefined);
  assert.equal(at(`kind: ConfigMap\ndata:\n  script: |\n    echo hi\n    ech‸\n`), undefined);
  assert.equal(at(`kind: Pod\nmetadata:\n  annotations:\n    note: a long\n      te‸xt\n`), undefined);
  assert.equal(at(`kind: Pod\n--‸-\n`), undefined);
  assert.equal(at(`kind: Pod\nspec: # ab‸c\n`), undefined);
});

test('a key already followed by a colon is replaced by its name alone', () => {
  const ctx = must(`kind: Pod\nspec:\n  restart‸Policy: Always\n`);
  assert.equal(ctx.slot, 'key');
  assert.equal(ctx.keyHasColon, true);
  assert.equal(ctx.prefix, 'restart');
});

test('CRLF line ends and quoted keys', () => {
  const crlf = must('apiVersion: v1\r\nkind: Service\r\nspec:\r\n  sel‸\r\n');
  assert.deepEqual(crlf.path, ['spec']);
  assert.equal(crlf.kind, 'Service');
  const quoted = must(`kind: Pod\nmetadata:\n  labels:\n    "app.kubernetes.io/name": ‸\n`);
  assert.deepEqual(quoted.path, ['metadata', 'labels', 'app.kubernetes.io/name']);
});
