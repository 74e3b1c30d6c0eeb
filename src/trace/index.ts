/**
 * Trace a quote or a claim across the corpus: every occurrence in time order with its outlet, date, the
 * speaker as credited, relays and wording; the earliest; the chain of relays where articles name their
 * source outlet; and findings, each with the occurrences that show it. Reads the store's quote/claim
 * index (indexed lookups only) and verifies every candidate word by word against the query.
 */
import { diffArrays } from 'diff';
import { normalizeName } from '../store/rows.js';
import type { Store } from '../store/types.js';
import {
  claimKeys,
  jaccard,
  matchQuote,
  normalizeWords,
  quotedSegments,
  quoteShingles,
  quoteWords,
  traceWords,
  type TraceKind,
} from '../store/trace-keys.js';
import type { ClusterSummary, OccurrenceRow } from '../store/trace-sql.js';
import { DEFAULT_CLAIM_THRESHOLD } from '../store/trace-index.js';

export { DEFAULT_CLAIM_THRESHOLD };

export interface TraceOptions {
  /** Least Jaccard similarity (3-word shingles) for a claim to count as the same (default 0.5). */
  threshold?: number;
  /** Most occurrences considered (default 500). */
  limit?: number;
}

/** One piece of a word-level diff against the earliest occurrence: kept, removed or added words. */
export interface DiffPart {
  op: '=' | '-' | '+';
  text: string;
}

export interface TraceOccurrence {
  document: OccurrenceRow['document'];
  attribution: {
    id: string;
    kind: string;
    /** The speaker as this article credits them (resolved name, else the source text). */
    speaker: string | null;
    speakerType: string | null;
    source: string | null;
    cue: string;
    content: string;
    anonymous: boolean;
    hedged: boolean;
    /** Relays this article names, nearest to the writer first. */
    via: string[];
  };
  /** Against the earliest occurrence. */
  relation: 'earliest' | 'verbatim' | 'fragment' | 'changed' | 'similar';
  /** Quotes: share of the shorter's words found in order in the other; claims: Jaccard similarity. */
  similarity: number;
  /** Word-level diff from the earliest occurrence's wording to this one's (case and punctuation ignored). */
  diff: DiffPart[];
}

export type FindingCode = 'different-speakers' | 'wording-changed' | 'anonymous-origin-established' | 'single-outlet-origin';

export interface Finding {
  code: FindingCode;
  message: string;
  /** The occurrences that show it (document id, outlet, attribution id) and what each shows. */
  evidence: { document: string; outlet: string | null; published: string | null; attribution: string; detail: string }[];
}

/** One article's relay chain: the outlet, whom it cites (nearest first), and earlier corpus occurrences from the outlets it cites. */
export interface ChainLink {
  document: string;
  outlet: string | null;
  published: string | null;
  cites: string[];
  /** Document ids of earlier occurrences in the corpus from an outlet this article cites. */
  citesInCorpus: string[];
}

export interface Trace {
  query: { text: string; kind: TraceKind; attribution?: { document: string; id: string } };
  occurrences: TraceOccurrence[];
  earliest: TraceOccurrence | null;
  documents: number;
  outlets: number;
  chain: ChainLink[];
  findings: Finding[];
}

export class TraceError extends Error {
  override name = 'TraceError';
}

interface Query {
  text: string;
  kind: TraceKind;
  words: string[];
  keys: number[];
  cluster: number | null;
  attribution?: { document: string; id: string };
}

/** Traces free text: a quote when it has quotation marks or is given as one, otherwise both ways (quote and claim). */
export async function traceText(store: Store, text: string, options: TraceOptions = {}): Promise<Trace> {
  if (!normalizeWords(text).length) throw new TraceError('nothing to trace: the text has no words');
  const hasMarks = quotedSegments(text).join('') !== text;
  const qWords = quoteWords(text);
  const cWords = normalizeWords(text);
  const keys = [...quoteShingles(qWords), ...(hasMarks ? [] : claimKeys(cWords))];
  if (!keys.length) throw new TraceError(`too short to trace: a quote needs 5 words or more, a claim 8`);
  return build(store, { text, kind: hasMarks || !claimKeys(cWords).length ? 'quote' : 'claim', words: qWords, keys, cluster: null }, options, cWords);
}

/** Traces the content of a stored attribution: `doc` is a document id or hash, `id` the attribution's id. */
export async function traceAttribution(store: Store, doc: string, id: string, options: TraceOptions = {}): Promise<Trace> {
  const at = await store.traces().findAttribution(doc, id);
  if (!at) throw new TraceError(`no attribution ${id} in a document ${doc}`);
  const t = traceWords(at.attribution.kind, at.attribution.content);
  const keys = t.kind === 'quote' ? quoteShingles(t.words) : claimKeys(t.words);
  if (!keys.length) throw new TraceError(`attribution ${id} of ${doc} is too short to trace (a quote needs 5 words, a claim 8)`);
  return build(
    store,
    { text: at.attribution.content, kind: t.kind, words: t.words, keys, cluster: at.cluster, attribution: { document: at.document.id, id } },
    options,
  );
}

async function build(store: Store, q: Query, options: TraceOptions, claimWords?: string[]): Promise<Trace> {
  const threshold = options.threshold ?? DEFAULT_CLAIM_THRESHOLD;
  const limit = options.limit ?? 500;
  const idx = store.traces();
  const rids = new Set(await idx.lookup(q.keys, limit));
  if (q.cluster !== null) for (const r of await idx.members(q.cluster, limit)) rids.add(r);
  // By row id, so that the first attribution of a document (the outer one of a nest) stands for it.
  const rows = (await idx.occurrences([...rids])).sort((a, b) => a.rid - b.rid);
  // Verified against the query: the same quote word by word, or a claim at least `threshold` similar.
  const matched: { row: OccurrenceRow; words: string[] }[] = [];
  const seenDocs = new Set<string>();
  for (const row of rows) {
    const t = traceWords(row.attribution.kind, row.attribution.content);
    let ok = false;
    if (t.kind === 'quote') ok = matchQuote(q.words, t.words) !== null;
    else ok = jaccard(claimWords ?? q.words, t.words) >= threshold || (q.kind === 'quote' && matchQuote(q.words, t.words, 0.9) !== null);
    if (!ok) continue;
    // One occurrence per document: the first attribution in it.
    const key = row.document.hash;
    if (seenDocs.has(key)) continue;
    seenDocs.add(key);
    matched.push({ row, words: t.words });
  }
  matched.sort((a, b) => byTime(a.row, b.row));
  const first = matched[0];
  const occurrences = matched.map((m, i) => occurrence(m.row, m.words, i === 0 ? null : { words: first.words, shown: shownWords(first.row) }));
  const outlets = new Set(occurrences.map((o) => o.document.outlet ?? o.document.id));
  return {
    query: { text: q.text, kind: q.kind, ...(q.attribution ? { attribution: q.attribution } : {}) },
    occurrences,
    earliest: occurrences[0] ?? null,
    documents: occurrences.length,
    outlets: outlets.size,
    chain: chainOf(occurrences),
    findings: findingsOf(occurrences),
  };
}

/** Dated before undated, then by date, then by document id (stable). */
function byTime(a: OccurrenceRow, b: OccurrenceRow): number {
  const da = a.document.published;
  const db = b.document.published;
  if (da !== db) {
    if (da === null) return 1;
    if (db === null) return -1;
    return da < db ? -1 : 1;
  }
  return a.document.id < b.document.id ? -1 : a.document.id > b.document.id ? 1 : a.rid - b.rid;
}

/** The wording compared: a quote's quoted words, a claim's content, as written. */
function shownWords(row: OccurrenceRow): string[] {
  const a = row.attribution;
  return displayWords(traceWords(a.kind, a.content).kind === 'quote' ? quotedSegments(a.content).join(' … ') : a.content);
}

function occurrence(row: OccurrenceRow, words: string[], earliest: { words: string[]; shown: string[] } | null): TraceOccurrence {
  const a = row.attribution;
  let relation: TraceOccurrence['relation'] = 'earliest';
  let similarity = 1;
  let diff: DiffPart[] = [];
  const kind = traceWords(a.kind, a.content).kind;
  const shown = shownWords(row);
  if (earliest) {
    const m = kind === 'quote' ? matchQuote(earliest.words, words, 0, false) : null;
    if (m) {
      relation = m.relation;
      similarity = m.coverage;
    } else {
      relation = 'similar';
      similarity = jaccard(earliest.words, words);
    }
    diff = wordDiff(earliest.shown, shown);
    // Words added or dropped only at the ends are a different excerpt of the same remarks (trimmed, or
    // quoted with more around it): "changed" is kept for differences between words both quote.
    if (relation === 'changed' || relation === 'fragment') relation = innerChange(diff) ? 'changed' : diff.some((d) => d.op !== '=') ? 'fragment' : 'verbatim';
  } else diff = [{ op: '=', text: shown.join(' ') }];
  return {
    document: row.document,
    attribution: {
      id: a.id,
      kind: a.kind,
      speaker: a.speaker?.name ?? a.source,
      speakerType: a.speaker?.type ?? null,
      source: a.source,
      cue: a.cue,
      content: a.content,
      anonymous: a.anonymous,
      hedged: a.hedged,
      via: a.via,
    },
    relation,
    similarity: Math.round(similarity * 1000) / 1000,
    diff,
  };
}

/** Whether a diff changes words between two kept stretches (not only before the first or after the last). */
function innerChange(diff: DiffPart[]): boolean {
  // Stretches kept: of three words or more, so that a stray common word ("I", "the") at an end is not one.
  const n = (d: DiffPart) => d.text.split(' ').length;
  let kept = diff.map((d, i) => (d.op === '=' && n(d) >= 3 ? i : -1)).filter((i) => i >= 0);
  if (!kept.length) kept = diff.map((d, i) => (d.op === '=' ? i : -1)).filter((i) => i >= 0);
  return kept.length > 0 && diff.slice(kept[0], kept[kept.length - 1] + 1).some((d) => d.op !== '=');
}

/** The words of a text as written (punctuation kept on them), those that carry a word. */
function displayWords(text: string): string[] {
  // Hyphens split too: "third-grade" and "third grade" are the same words.
  return text.split(/[\s\-‐‑–—]+/).filter((w) => normalizeWords(w).some((x) => x !== '\u0000'));
}

/**
 * Word-level diff from the earliest wording to a later one (both as written), comparing normalised
 * forms so that case, punctuation and quotation marks are no difference.
 */
export function wordDiff(from: string[], to: string[]): DiffPart[] {
  const key = (w: string) => normalizeWords(w).filter((x) => x !== '\u0000').join(' ');
  const parts: DiffPart[] = [];
  let i = 0;
  let j = 0;
  const push = (op: DiffPart['op'], text: string) => {
    const last = parts[parts.length - 1];
    if (last && last.op === op) last.text += ` ${text}`;
    else parts.push({ op, text });
  };
  for (const c of diffArrays(from.map(key), to.map(key))) {
    const n = c.value.length;
    if (c.removed) {
      push('-', from.slice(i, i + n).join(' '));
      i += n;
    } else if (c.added) {
      push('+', to.slice(j, j + n).join(' '));
      j += n;
    } else {
      push('=', to.slice(j, j + n).join(' '));
      i += n;
      j += n;
    }
  }
  return parts;
}

/** Outlet names compared loosely: "The Washington Post" = "wash-post", "The New York Times" = "nyt". */
export function sameOutlet(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const toks = (s: string) => normalizeName(s).split(' ').filter((t) => t && !['the', 'com', 'news', 'www'].includes(t));
  const x = toks(a);
  const y = toks(b);
  if (!x.length || !y.length) return false;
  if (x.join(' ') === y.join(' ')) return true;
  const [s, l] = x.length <= y.length ? [x, y] : [y, x];
  if (s.length === 1 && l.length > 1 && s[0] === l.map((t) => t[0]).join('')) return true;
  return s.length === l.length && s.every((t, i) => l[i].startsWith(t) || t.startsWith(l[i]));
}

function chainOf(occ: TraceOccurrence[]): ChainLink[] {
  const out: ChainLink[] = [];
  occ.forEach((o, i) => {
    const cites = [...o.attribution.via];
    if (o.attribution.speakerType === 'media' && o.attribution.speaker) cites.push(o.attribution.speaker);
    if (!cites.length) return;
    const earlier = occ.slice(0, i).filter((p) => cites.some((c) => sameOutlet(c, p.document.outlet)));
    out.push({ document: o.document.id, outlet: o.document.outlet, published: o.document.published, cites, citesInCorpus: earlier.map((p) => p.document.id) });
  });
  return out;
}

/** A name's normalised words. */
const wordsOf = (s: string | null): string[] => (s ? normalizeName(s).split(' ').filter(Boolean) : []);

/** Whether two credited names are the same speaker: one's words within the other's ("Trump" / "Donald Trump"). */
export function sameSpeaker(a: string, b: string): boolean {
  const x = wordsOf(a);
  const y = wordsOf(b);
  if (!x.length || !y.length) return false;
  const [s, l] = x.length <= y.length ? [x, y] : [y, x];
  // "Clinton" is "Hillary Clinton"; "Bill Clinton" is not.
  return s.every((t) => l.includes(t));
}

/** Types of speaker a misattribution finding compares: named people and bodies, not "officials" or "65 percent". */
const NAMED = new Set(['person', 'organization', 'media']);

function ev(o: TraceOccurrence, detail: string): Finding['evidence'][number] {
  return { document: o.document.id, outlet: o.document.outlet, published: o.document.published, attribution: o.attribution.id, detail };
}

const lastWord = (s: string): string => wordsOf(s).pop() ?? '';

/**
 * The article names the speaker it is credited to in the source itself ("Clinton", "Fox's Chris
 * Wallace"), rather than through "she" or "the senator" that the analysis resolved: only such credits
 * say what the outlet wrote.
 */
function namedInSource(o: TraceOccurrence): boolean {
  const last = lastWord(o.attribution.speaker ?? '');
  return !!last && wordsOf(o.attribution.source).includes(last);
}

/**
 * Two credits are the same speaker when the resolved names agree ("Trump" / "Donald Trump") or when one
 * article wrote the other's surname: "Clinton" in two outlets is one credit, even if the analysis took
 * one of them for Bill Clinton and the other for Hillary.
 */
function sameCredit(a: TraceOccurrence, b: TraceOccurrence): boolean {
  return sameSpeaker(a.attribution.speaker!, b.attribution.speaker!) ||
    wordsOf(b.attribution.source).includes(lastWord(a.attribution.speaker!)) ||
    wordsOf(a.attribution.source).includes(lastWord(b.attribution.speaker!));
}

export function findingsOf(occ: TraceOccurrence[]): Finding[] {
  const out: Finding[] = [];
  if (occ.length < 2) return out;
  // Credited to different speakers in different outlets: named speakers whose name the article wrote in
  // the source ("he" and "the minister" are the analysis's reading, not the outlet's credit).
  // Quotes only: a claim repeated by different people is how claims spread; a quote's words have one speaker.
  const credited = occ.filter((o) => o.attribution.speaker && NAMED.has(o.attribution.speakerType ?? '') && namedInSource(o) &&
    traceWords(o.attribution.kind, '').kind === 'quote');
  const groups: { name: string; occ: TraceOccurrence[] }[] = [];
  for (const o of credited) {
    const g = groups.find((x) => x.occ.some((p) => sameCredit(p, o)));
    if (g) g.occ.push(o);
    else groups.push({ name: o.attribution.speaker!, occ: [o] });
  }
  if (groups.length > 1) {
    const outlets = new Set(groups.flatMap((g) => g.occ.map((o) => o.document.outlet)));
    if (outlets.size > 1) {
      out.push({
        code: 'different-speakers',
        message: `credited to ${groups.length} different speakers: ${groups.map((g) => g.name).join('; ')}`,
        evidence: groups.flatMap((g) => g.occ.map((o) => ev(o, `credited to ${o.attribution.speaker} (written "${o.attribution.source}")`))),
      });
    }
  }
  // Wording changed beyond punctuation (trimmed copies are fragments, not changes).
  const changed = occ.filter((o) => o.relation === 'changed');
  if (changed.length) {
    out.push({
      code: 'wording-changed',
      message: `${changed.length} of ${occ.length} occurrences word it differently from the earliest`,
      evidence: changed.map((o) =>
        ev(o, o.diff.filter((d) => d.op !== '=').map((d) => `${d.op === '-' ? 'dropped' : 'added'} "${d.text}"`).join(', ')),
      ),
    });
  }
  // An anonymous origin that later copies present as established: credited to a named speaker or stated without a hedge.
  const first = occ[0];
  if (first.attribution.anonymous || first.attribution.speakerType === 'anonymous') {
    const firm = occ.slice(1).filter((o) => !o.attribution.anonymous && o.attribution.speakerType !== 'anonymous' && !o.attribution.hedged);
    if (firm.length) {
      out.push({
        code: 'anonymous-origin-established',
        message: `the earliest occurrence rests on an anonymous source (${first.attribution.speaker ?? 'unnamed'}); ${firm.length} later ${firm.length === 1 ? 'one presents' : 'ones present'} it without that caveat`,
        evidence: [ev(first, `anonymous: ${first.attribution.source ?? 'no source'}`), ...firm.map((o) => ev(o, `credited to ${o.attribution.speaker ?? 'nobody'}${o.attribution.hedged ? ', hedged' : ''}`))],
      });
    }
  }
  // Every occurrence leads back to one outlet: followed through the relays ("Y, citing X" → X's own
  // occurrence, if the corpus has one → what X cites), each ends in the same outlet.
  const outlets = new Set(occ.map((o) => o.document.outlet ?? o.document.id));
  if (outlets.size > 1) {
    const cited = (o: TraceOccurrence): string | null => {
      const cites = [...o.attribution.via];
      if (o.attribution.speakerType === 'media' && o.attribution.speaker) cites.push(o.attribution.speaker);
      return cites.length ? cites[cites.length - 1] : null;
    };
    const origin = (i: number, depth = 0): string | null => {
      const c = cited(occ[i]);
      if (!c) return occ[i].document.outlet;
      const j = occ.findIndex((p, k) => k < i && sameOutlet(c, p.document.outlet));
      return j >= 0 && depth < occ.length ? origin(j, depth + 1) : c;
    };
    const origins = occ.map((_, i) => origin(i));
    const source = origins.find((x, i) => x && cited(occ[i]));
    if (source && origins.every((x) => sameOutlet(x, source))) {
      const cited0 = source;
      out.push({
        code: 'single-outlet-origin',
        message: `all ${occ.length} occurrences in ${outlets.size} outlets lead back to one outlet: ${cited0}`,
        evidence: occ.map((o) => ev(o, sameOutlet(o.document.outlet, cited0) ? 'published there' : `cites ${cited(o) ?? 'nobody'}`)),
      });
    }
  }
  return out;
}

/** The widest-spread quotes and claims (by outlets, then documents). */
export async function widestTraces(store: Store, options: { limit?: number; kind?: TraceKind } = {}): Promise<ClusterSummary[]> {
  return store.traces().topClusters(options);
}
