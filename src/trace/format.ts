/** Plain-text renderings of a trace and of the widest-spread list (the CLI's default output). */
import type { ClusterSummary } from '../store/trace-sql.js';
import type { DiffPart, Trace, TraceOccurrence } from './index.js';

function one(s: string, max = 200): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A diff as text: removed words in [-…-], added ones in {+…+} (the wdiff convention). */
export function diffText(parts: DiffPart[]): string {
  return parts.map((p) => (p.op === '=' ? p.text : p.op === '-' ? `[-${p.text}-]` : `{+${p.text}+}`)).join(' ');
}

function occLine(o: TraceOccurrence, i: number): string {
  const d = o.document;
  const a = o.attribution;
  const head = `${i + 1}. ${d.published?.slice(0, 10) ?? '(no date)'}  ${d.outlet ?? '(no outlet)'}  ${d.id}  ${a.id}`;
  const who = `${a.speaker ?? '(no source)'}${a.anonymous ? ' (anonymous)' : ''}${a.hedged ? ' (hedged)' : ''}${a.via.length ? `, via ${a.via.join(' ← ')}` : ''}`;
  const wording = o.relation === 'earliest' ? one(a.content) : one(diffText(o.diff), 300);
  return `${head}\n   ${who} — ${a.cue}\n   ${o.relation}${o.relation === 'earliest' ? '' : ` (${o.similarity})`}: ${wording}`;
}

export function formatTrace(t: Trace): string {
  const lines: string[] = [];
  lines.push(`${t.query.kind} traced: ${one(t.query.text, 160)}`);
  lines.push(`${t.documents} occurrence${t.documents === 1 ? '' : 's'} in ${t.outlets} outlet${t.outlets === 1 ? '' : 's'}`);
  if (t.earliest) lines.push(`earliest: ${t.earliest.document.published?.slice(0, 10) ?? '(no date)'} ${t.earliest.document.outlet ?? ''} ${t.earliest.document.id}`.trimEnd());
  if (t.findings.length) {
    lines.push('', 'findings:');
    for (const f of t.findings) {
      lines.push(`- ${f.code}: ${f.message}`);
      for (const e of f.evidence) lines.push(`    ${e.published?.slice(0, 10) ?? '(no date)'} ${e.outlet ?? ''} ${e.document} ${e.attribution}: ${one(e.detail, 160)}`);
    }
  }
  if (t.chain.length) {
    lines.push('', 'relays:');
    for (const c of t.chain) lines.push(`- ${c.outlet ?? c.document} cites ${c.cites.join(' ← ')}${c.citesInCorpus.length ? ` (earlier here: ${c.citesInCorpus.join(', ')})` : ''}`);
  }
  lines.push('', 'occurrences:');
  t.occurrences.forEach((o, i) => lines.push(occLine(o, i)));
  return `${lines.join('\n')}\n`;
}

export function formatTraces(list: ClusterSummary[]): string {
  return list
    .map((c, i) => {
      const r = c.root;
      const who = r ? r.attribution.speaker?.name ?? r.attribution.source ?? '(no source)' : '';
      const at = r ? `--attribution '${r.document.id}:${r.attribution.id}'` : '';
      return `${i + 1}. ${c.kind}, ${c.outlets} outlets, ${c.documents} documents  ${at}\n   ${who}: ${r ? one(r.attribution.content, 200) : ''}`;
    })
    .join('\n')
    .concat(list.length ? '\n' : '');
}
