// Posts (or updates) one merge request note with the sandbox's shareable link, its checks and its
// pods, from what `tether … --json` wrote (up.json, checks.json, status.json). Node's standard
// library only; GitLab CI runs it after the preview (docs/ci/gitlab-ci.yml).
'use strict';
const fs = require('node:fs');

const read = (f) => (fs.existsSync(f) && fs.statSync(f).size ? JSON.parse(fs.readFileSync(f, 'utf8')) : undefined);
const up = read('up.json');
const checks = read('checks.json');
const status = read('status.json');
const marker = '<!-- tether-preview -->';
const lines = [marker, `### Preview of \`${process.env.SANDBOX}\``];
if (up && up.share && up.share.link) lines.push(`**[Open the preview](${up.share.link})** (signed link, valid until ${up.share.expiresAt})`);
if (up && up.expiresAt) lines.push(`The sandbox stays until ${up.expiresAt}, or until this merge request is merged or closed.`);
if (checks && checks.checks) {
  lines.push('', `**Checks:** ${checks.passed} passed, ${checks.failed} failed`, '', '| Check | Result |', '|---|---|');
  for (const c of checks.checks) lines.push(`| ${c.name} | ${c.state}${c.reason ? `: ${c.reason}` : ''} |`);
} else if (checks && checks.error) lines.push('', `**Checks** could not run: ${checks.error.why}. ${checks.error.next}`);
if (status && status.pods) {
  lines.push('', '<details><summary>Pods</summary>', '');
  for (const p of status.pods) lines.push(`- \`${p.name}\` ${p.role}: ${p.ready ? 'ready' : p.phase}${p.problem ? ` (${p.problem})` : ''}`);
  lines.push('', '</details>');
}

const api = `${process.env.CI_API_V4_URL}/projects/${process.env.CI_PROJECT_ID}/merge_requests/${process.env.CI_MERGE_REQUEST_IID}/notes`;
const headers = { 'PRIVATE-TOKEN': process.env.TETHER_NOTE_TOKEN, 'content-type': 'application/json' };

(async () => {
  const notes = await (await fetch(`${api}?per_page=100`, { headers })).json();
  const mine = Array.isArray(notes) ? notes.find((n) => typeof n.body === 'string' && n.body.startsWith(marker)) : undefined;
  const body = JSON.stringify({ body: lines.join('\n') });
  const res = await fetch(mine ? `${api}/${mine.id}` : api, { method: mine ? 'PUT' : 'POST', headers, body });
  if (!res.ok) throw new Error(`GitLab answered ${res.status} to the note: ${await res.text()}`);
})().catch((err) => {
  console.error(`tether-note: ${err.message}`);
  process.exitCode = 1;
});
