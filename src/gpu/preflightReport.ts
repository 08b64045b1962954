/**
 * A preflight result as a Markdown report: the answer first, then what the pod asks for, the
 * quota, and every node with why it does or does not fit.
 */
import type { PreflightResult } from './preflight';
import type { PodTemplate } from './podTemplate';

export function preflightReport(
  template: PodTemplate,
  result: PreflightResult,
  where: { context: string; namespace: string; at: Date },
  caveats: readonly string[] = [],
): string {
  const lines: string[] = [];
  const title = `${template.kind} ${template.name || '(unnamed)'}`;
  lines.push(`# Will it schedule? ${title}`, '');
  lines.push(`Context \`${where.context}\`, namespace \`${where.namespace}\`, checked ${where.at.toISOString()}.`, '');
  lines.push(`**${result.summary}**`, '');
  for (const c of caveats) lines.push(`> ${c}`, '');
  if (result.problems.length > 0) {
    lines.push('## Problems in the manifest', '');
    for (const p of result.problems) lines.push(`- ${p}`);
    lines.push('');
  }
  lines.push('## Each pod asks for', '');
  if (result.requests.length === 0) lines.push('- nothing (no requests or limits): it fits anywhere it may go');
  for (const r of result.requests) lines.push(`- ${r.resource}: ${r.shown}`);
  if (result.replicas.wanted > 1) lines.push('', `Replicas: ${result.replicas.wanted}; room for ${result.replicas.fitNow} now.`);
  lines.push('');
  if (result.quotas.length > 0) {
    lines.push('## Quota', '');
    for (const q of result.quotas) lines.push(`- ${q.fits ? 'ok' : '**over**'}: ${q.text}`);
    lines.push('');
  }
  lines.push(`## Nodes (${result.fitsOn.length} of ${result.nodes.length} fit)`, '');
  for (const v of result.nodes) {
    if (v.fits) lines.push(`- ✅ **${v.node}**: fits (room for ${v.room})`);
    else lines.push(`- ❌ **${v.node}**: ${v.obstacles.map((o) => o.text).join('; ')}`);
  }
  lines.push(
    '',
    '_A prediction from requests, taints, nodeSelector, required node affinity and quota; the scheduler also weighs pod affinity, topology spread, volumes and ports._',
    '',
  );
  return lines.join('\n');
}
