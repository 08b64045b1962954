import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, createNonce, escapeHtml, webviewHtml } from '../../../src/ui/webviews/webviewHtml';

const parts = {
  title: 'Pod <cart>',
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: createNonce(),
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/podDetails.js',
  styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/media/webview.css', 'https://file+.vscode-resource.vscode-cdn.net/ext/media/podDetails.css'],
  data: { context: 'prod"><script>alert(1)</script>', namespace: 'shop', name: "o'brien&co" },
};

test('the CSP denies everything by default and allows scripts only by nonce', () => {
  const csp = contentSecurityPolicy(parts.cspSource, 'abcdefghijklmnop');
  assert.match(csp, /^default-src 'none'; /);
  assert.match(csp, /script-src 'nonce-abcdefghijklmnop'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|\*/);
  assert.doesNotMatch(csp, /connect-src/);
  assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net(;|$)/);
});

test('nonces are 128 random bits, fresh each time', () => {
  const seen = new Set(Array.from({ length: 200 }, () => createNonce()));
  assert.equal(seen.size, 200);
  for (const n of seen) assert.equal(Buffer.from(n, 'base64').length, 16);
});

test('one external script with the nonce, no inline script, state in escaped data- attributes', () => {
  const html = webviewHtml(parts);
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1, 'exactly one script element');
  assert.equal(scripts[0][1], '', 'the script element has no inline code');
  assert.ok(scripts[0][0].includes(`nonce="${parts.nonce}"`));
  assert.ok(scripts[0][0].includes(`src="${parts.scriptUri}"`));
  assert.ok(html.includes('data-context="prod&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
  assert.ok(html.includes('data-name="o&#39;brien&amp;co"'));
  assert.ok(html.includes('<title>Pod &lt;cart&gt;</title>'));
  assert.ok(html.includes(`http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;`));
  const sheets = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(sheets, parts.styleUris, 'the shared base, then the page\'s own');
});

test('bad attribute names and weak nonces are refused', () => {
  assert.throws(() => webviewHtml({ ...parts, data: { 'on click': 'x' } }), /invalid data attribute/);
  assert.throws(() => webviewHtml({ ...parts, nonce: 'abc' }), /nonce/);
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});
