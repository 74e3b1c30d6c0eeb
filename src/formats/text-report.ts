/**
 * The terminal listing of one analysis (`--format text`): headline and counts, the attributions
 * grouped by speaker, then the profile flags. Plain text; ANSI colours only when asked for.
 */
import type { Analysis, Attribution, Entity } from '../core/types.js';

export interface ReportOptions {
  color?: boolean;
  /** Longest content shown, in characters, before it is cut with an ellipsis. */
  maxContent?: number;
}

/** A speaker entity, or attributions the speaker stage left unresolved, which we group by source text. */
interface Group {
  title: string;
  details: string[];
  attributions: Attribution[];
  /** Where the group first appears in the text, to list groups in reading order. */
  first: number;
}

interface Style {
  bold(s: string): string;
  dim(s: string): string;
}

const PLAIN: Style = { bold: (s) => s, dim: (s) => s };
const ANSI: Style = { bold: (s) => `\x1b[1m${s}\x1b[22m`, dim: (s) => `\x1b[2m${s}\x1b[22m` };

// Article text is untrusted: control characters (terminal escape sequences) and bidi overrides
// (which reorder what the reader sees) must never reach the terminal as they are.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line of untrusted text, safe to print: whitespace collapsed, control characters replaced. */
export function safeLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().replace(UNSAFE, '\uFFFD');
}

/** Cuts `s` to at most `max` characters at a word boundary where one is near, marking the cut. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  const end = space > max * 0.6 ? space : cut.length;
  // Never split a surrogate pair: half an emoji prints as garbage.
  const safeEnd = isHighSurrogate(cut.charCodeAt(end - 1)) ? end - 1 : end;
  return cut.slice(0, safeEnd).trimEnd() + '…';
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function start(a: Attribution): number {
  return Math.min(a.cue.spans[0]?.[0] ?? Infinity, a.content.spans[0]?.[0] ?? Infinity, a.source?.spans[0]?.[0] ?? Infinity);
}

function entityDetails(e: Entity): string[] {
  const kind = e.anonymous && e.type !== 'anonymous' ? `${e.type}, anonymous` : e.type;
  const lines = [kind];
  if (e.descriptors.length) lines.push(e.descriptors.map(safeLine).join('; '));
  const others = e.aliases.filter((a) => a !== e.name);
  if (others.length) lines.push(`also: ${others.map(safeLine).join(', ')}`);
  return lines;
}

/** Groups attributions by resolved speaker; unresolved ones by their source text, case-insensitively. */
export function groupBySpeaker(analysis: Analysis): Group[] {
  const entities = new Map(analysis.entities.map((e) => [e.id, e]));
  const groups = new Map<string, Group>();
  for (const a of analysis.attributions) {
    const entity = a.speaker ? entities.get(a.speaker) : undefined;
    let key: string;
    let make: () => Omit<Group, 'attributions' | 'first'>;
    if (entity) {
      key = `e:${entity.id}`;
      make = () => ({ title: safeLine(entity.name), details: entityDetails(entity) });
    } else if (a.source) {
      const text = safeLine(a.source.text);
      key = `s:${text.toLowerCase()}`;
      make = () => ({ title: `“${text}”`, details: ['source not resolved to a speaker'] });
    } else {
      key = 'none';
      make = () => ({ title: '(no source)', details: ['the text names no one for these words'] });
    }
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ...make(), attributions: [], first: Infinity }));
    g.attributions.push(a);
    g.first = Math.min(g.first, start(a));
  }
  const list = [...groups.values()];
  for (const g of list) g.attributions.sort((x, y) => start(x) - start(y));
  return list.sort((x, y) => x.first - y.first);
}

function attributionLines(a: Attribution, analysis: Analysis, st: Style, maxContent: number): string[] {
  const names = new Map(analysis.entities.map((e) => [e.id, e.name]));
  const meta = [a.kind, `confidence ${a.confidence.toFixed(2)}`];
  if (a.hedged) meta.push('hedged');
  if (a.parent) meta.push(`inside ${a.parent}`);
  const lines = [`  ${st.dim(a.id.padEnd(4))} ${safeLine(a.cue.text)}  ${st.dim(`(${meta.join(', ')})`)}`];
  const via = a.via.map((id) => safeLine(names.get(id) ?? id));
  const source = a.source ? `“${safeLine(a.source.text)}”` : '(none)';
  const relay = via.length === 1 ? `, via ${via[0]}` : via.length ? `, via ${via.join(', ')} (nearest the writer first)` : '';
  lines.push(`       source:  ${source}${relay}`);
  lines.push(`       content: ${truncate(safeLine(a.content.text), maxContent)}`);
  return lines;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function headerLines(analysis: Analysis, st: Style): string[] {
  const { document: d, profile: p } = analysis;
  return [
    st.bold(d.title ? safeLine(d.title) : '(no headline)'),
    `${safeLine(d.id)} · ${plural(d.chars, 'character')} · ${plural(p.attributions, 'attribution')} · ${plural(p.speakers, 'speaker')}`,
    `named ${p.named} · anonymous ${p.anonymous} · unattributed ${p.unattributed}`,
  ];
}

function profileLines(analysis: Analysis): string[] {
  const p = analysis.profile;
  const lines: string[] = [];
  if (p.headlineQuestion) lines.push('  - the headline is a question');
  for (const f of p.flags) {
    const refs = f.attributions.length ? ` [${f.attributions.join(', ')}]` : '';
    lines.push(`  - ${f.code}: ${safeLine(f.message)}${refs}`);
  }
  if (!lines.length) lines.push('  (no flags)');
  return lines;
}

/** The whole report, ending in a newline. `_source` is the analysed text, kept for richer views later. */
export function textReport(analysis: Analysis, _source: string, options: ReportOptions = {}): string {
  const st = options.color ? ANSI : PLAIN;
  const maxContent = options.maxContent ?? 160;
  const out = [...headerLines(analysis, st), ''];
  if (!analysis.attributions.length) {
    out.push('No attributions found.', '');
  } else {
    out.push(st.bold('Attributions by speaker'), '');
    for (const g of groupBySpeaker(analysis)) {
      out.push(`${st.bold(g.title)}  ${st.dim(`— ${g.details.join(' · ')}`)}`);
      for (const a of g.attributions) out.push(...attributionLines(a, analysis, st, maxContent));
      out.push('');
    }
  }
  out.push(st.bold('Profile'), ...profileLines(analysis));
  return out.join('\n') + '\n';
}
