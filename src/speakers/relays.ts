/**
 * Relays: whose words an attribution carries and who passed them on. "X quoted Y as saying",
 * "Y told X", "Y said in an interview with X", "Y, speaking with a correspondent of X",
 * "X reported, citing Y" → speaker Y, via [X]. Also agentless cues ("is said to", "reportedly").
 */
import type { Attribution, Doc, Range } from '../core/types.js';
import { tokensIn, type DocIndex } from './mentions.js';
import type { EntityDraft, EntityTable } from './entities.js';
import { orgKey } from './names.js';
import { innerSpeaker, outletOrDocument } from './inner.js';
import { AGENTLESS_PARTICIPLES, AGENTLESS_ADVERBS, BE_FORMS } from '../nlp/lexicons/hedges.js';

export interface RelayPlan {
  /** Token range of the phrase naming the speaker; null when none. */
  speaker: [number, number] | null;
  /** Token ranges naming relays, nearest to the writer first. */
  via: [number, number][];
  /** Named media mentions (indices into DocIndex.names) that relayed the words. */
  viaNames: number[];
  /**
   * Outlet names longer than their mention, by mention index: the token range of the whole name
   * ("The Post and Courier", "Fox and Friends", "ABC 7"), where the mentions cut it.
   */
  viaFull?: Map<number, [number, number]>;
  /** No one speaks: "is said to", "it is believed", "reportedly". */
  agentless: boolean;
  /**
   * "CNN cited her as saying X": the character range of "her as saying" when the attribution left it
   * out of the cue; it belongs to the cue, not to the content.
   */
  cueTail: [number, number] | null;
}

const SAYING = new Set(['saying', 'telling', 'stating', 'writing', 'warning', 'adding', 'describing', 'calling']);

const QUOTE_CUES = new Set(['quoted', 'quoting', 'quote', 'quotes', 'cited', 'citing', 'cite', 'cites']);
const CITE_WORDS = new Set(['cited', 'citing', 'cite', 'cites', 'reference', 'referring']);
const QUOTE_WORDS = new Set(['quoted', 'quoting', 'quote', 'quotes']);
/** Verbs of one's own post: "tweeted, quoting X" is the writer's tweet, not X's words relayed. */
const POST_WORDS = new Set(['tweeted', 'posted', 'wrote', 'retweeted', 'tweets', 'posts', 'writes']);
const NP_STOP = new Set([',', 'as', 'that', 'saying', '.', ';', ':', '"', '“', '”', '(', 'who', 'which', 'said', 'says', '—', '–', 'on', 'about', 'in']);
const VIA_TRIGGERS = new Set(['told', 'tell', 'telling', 'tells', 'interview', 'interviews', 'interviewed', 'speaking', 'spoke', 'speak',
  'talking', 'talked', 'talk', 'correspondent', 'correspondents', 'reporter', 'reporters', 'comments', 'remarks', 'statement',
  'appearance', 'broadcast', 'program', 'programme', 'show', 'on', 'to', 'with', 'op-ed', 'column', 'letter', 'journalist']);

const POSSESSIVE_S = new Set(["'s", '’s']);
const CLITIC_HOSTS = new Set(['it', 'that', 'there', 'he', 'she', 'what', 'who', 'this']);

/** Cues that pass on what others said or did, whoever their source is. */
const RELAYING_CUES = new Set(['according', 'reported', 'reports', 'reporting']);

/** How far from a cue, in tokens, relays are looked for. */
const NEAR = 200;

function firstRange(s: { spans: Range[] } | null): Range | null {
  return s && s.spans.length ? s.spans[0] : null;
}

/** The noun phrase starting at token t: up to a comma, "as", "that", a verb, or 15 tokens. */
export function npAfter(doc: Doc, t: number, limit: number): [number, number] | null {
  const tk = doc.tokens;
  const sent = tk[t]?.sentence;
  let e = t;
  while (e < limit && e - t < 15 && tk[e].sentence === sent) {
    const w = tk[e];
    if (NP_STOP.has(w.lower) && !(w.lower === 'in' && e > t && (tk[e - 1].lower === 'source' || tk[e - 1].lower === 'sources' || tk[e - 1].lower === 'official' || tk[e - 1].lower === 'officials'))) break;
    if ((w.pos === 'VERB' || w.pos === 'AUX') && e > t && w.lower !== 'familiar' && !w.lower.endsWith('ed')) break;
    e++;
  }
  return e > t ? [t, e] : null;
}

function inRanges(pos: number, ranges: Range[]): boolean {
  for (const [s, e] of ranges) if (pos >= s && pos < e) return true;
  return false;
}

/** Plans one attribution's speaker phrase and relays. */
export function planRelay(ix: DocIndex, a: Attribution): RelayPlan {
  const { doc } = ix;
  const tk = doc.tokens;
  const src = firstRange(a.source);
  const srcToks = src ? tokensIn(doc, src[0], src[1]) : null;
  const cue = a.cue.spans[0];
  const [cs] = tokensIn(doc, cue[0], cue[1]);
  const cueLast = a.cue.spans[a.cue.spans.length - 1];
  const ceAll = tokensIn(doc, cueLast[0], cueLast[1])[1];
  const cueWords: string[] = [];
  for (let t = cs; t < ceAll; t++) cueWords.push(tk[t].lower);
  const content = a.content.spans;
  const contentStart = content.length ? tokensIn(doc, content[0][0], content[0][1])[0] : ceAll;
  const sentence = tk[cs]?.sentence ?? 0;
  const sEnd = doc.sentences[sentence]?.tokenEnd ?? tk.length;
  const plan: RelayPlan = { speaker: srcToks && srcToks[1] > srcToks[0] ? srcToks : null, via: [], viaNames: [], agentless: false, cueTail: null };

  // Agentless raising and adverbs: "is said to", "it is believed that", "reportedly".
  // A form of "be": "'s" only as "is" after a pronoun ("it's said"), never the possessive of
  // "said on NBC's 'Meet the Press'".
  const isBe = (t: number) => BE_FORMS.has(tk[t].lower) && (!POSSESSIVE_S.has(tk[t].lower) || (t > 0 && CLITIC_HOSTS.has(tk[t - 1].lower)));
  let hasBe = cs > 0 && isBe(cs - 1);
  for (let t = cs; t < ceAll && !hasBe; t++) hasBe = isBe(t);
  const part = cueWords.find((w) => AGENTLESS_PARTICIPLES.has(w));
  if (hasBe && part) {
    const next = tk[ceAll]?.lower;
    if (next === 'by') {
      plan.speaker = npAfter(doc, ceAll + 1, sEnd);
      return plan;
    }
    const srcIsIt = srcToks && srcToks[1] - srcToks[0] === 1 && tk[srcToks[0]].lower === 'it';
    if (next === 'to' || next === 'that' || !srcToks || srcIsIt || (content.length && content[0][0] >= tk[ceAll - 1].end && /^\s*(to|that)\b/i.test(doc.text.slice(content[0][0], content[0][0] + 6)))) {
      plan.agentless = true;
      plan.speaker = null;
      return plan;
    }
  }
  if (!srcToks && cueWords.length && cueWords.every((w) => AGENTLESS_ADVERBS.has(w))) {
    plan.agentless = true;
    return plan;
  }

  // "'…,' Walker said, according to an AP account", "The Post reported that Klein said …": an outlet or a
  // document (or anyone after "according to") whose content holds its own reporting clause relays it.
  if (srcToks && srcToks[1] > srcToks[0]) {
    // "According to X" and "X reported" relay whoever X is: "'…,' Grayson said, according to Frankel".
    const relaying = cueWords.some((w) => RELAYING_CUES.has(w));
    const relay = outletOrDocument(ix, srcToks) ?? (relaying ? { via: srcToks } : null);
    const inner = relay ? innerSpeaker(ix, content) : null;
    if (relay && inner && (inner[1] <= srcToks[0] || inner[0] >= srcToks[1])) {
      plan.via.push(relay.via);
      plan.speaker = inner;
      return withNamedVia(ix, a, plan, sentence, content);
    }
  }

  // "X quoted Y as saying", "X reported, citing Y", "Y was quoted by X as saying".
  const quoteCue = cueWords.some((w) => QUOTE_CUES.has(w)) || (cueWords.includes('reference') && cueWords.includes('to')) || (cueWords.includes('referring') && cueWords.includes('to'));
  if (quoteCue) {
    const passive = hasBe || (cs > 0 && tk[cs - 1].lower === 'being');
    if (passive) {
      for (let t = ceAll; t < Math.min(sEnd, ceAll + NEAR); t++) {
        if (tk[t].lower === 'by') {
          const np = npAfter(doc, t + 1, sEnd);
          if (np) plan.via.push(np);
          break;
        }
        if (inRanges(tk[t].start, content) && tk[t].lower !== 'as' && tk[t].lower !== 'saying') break;
      }
      return withNamedVia(ix, a, plan, sentence, content);
    }
    // The quoted person may sit inside the cue ("quoted her as saying") or right after it.
    let qv = -1;
    for (let t = cs; t < ceAll && qv < 0; t++) if (QUOTE_CUES.has(tk[t].lower)) qv = t;
    const np = npAfter(doc, qv >= 0 && qv + 1 < ceAll ? qv + 1 : ceAll, sEnd);
    // "Salceda cited a 2001 memorandum", "Trump cites his Twitter followers": after "cite", a phrase
    // inside the content is what is cited, not a voice passing words on ("cited her as saying X" keeps
    // "her" out of the content). After "quote" it is the quoted voice ("Frank quotes Alfred Kahn"),
    // except in one's own post ("tweeted, quoting Comey": set 4 counts the tweet as the writer's).
    // A participle after a clause ("Interfax reported, citing a source"; "Rubio explained it, citing
    // Canada's efforts") relays only a voice: a source, people, a name, not a possessor's thing.
    const asSaying = np !== null && tk[np[1]]?.lower === 'as' && SAYING.has(tk[np[1] + 1]?.lower ?? '');
    const afterClause = qv > 1 && PARTICIPLES.has(tk[qv].lower) && tk[qv - 1].text === ',' && srcToks !== null && hasVerb(tk, srcToks[1], qv - 1);
    const citeOnly = cueWords.some((w) => CITE_WORDS.has(w)) && !cueWords.some((w) => QUOTE_WORDS.has(w));
    const ownPost = cs > 0 && POST_WORDS.has(tk[cs - 1].lower === ',' && cs > 1 ? tk[cs - 2].lower : tk[cs - 1].lower);
    let cited = false;
    if (np && !asSaying) {
      const inContent = inRanges(tk[np[0]].start, content);
      if (ownPost) cited = inContent || afterClause;
      else if (afterClause) cited = !voiceIn(ix, np, false);
      else cited = inContent && citeOnly;
    }
    if (np && !cited && relayable(ix, np)) {
      if (plan.speaker) plan.via.push(plan.speaker);
      plan.speaker = np;
      if (np[0] >= ceAll && asSaying) plan.cueTail = [tk[ceAll].start, tk[np[1] + 1].end];
      return withNamedVia(ix, a, plan, sentence, content);
    }
  }
  // "X reported, citing Y, that ..." where the cue is "reported": a citing phrase after the cue.
  for (let t = ceAll; t < Math.min(sEnd, Math.max(contentStart, ceAll) + 4); t++) {
    const w = tk[t].lower;
    let at = -1;
    if (w === 'citing' || w === 'quoting') at = t + 1;
    else if ((w === 'reference' || w === 'referring') && tk[t + 1]?.lower === 'to') at = t + 2;
    if (at > 0) {
      const np = npAfter(doc, at, sEnd);
      if (np && relayable(ix, np)) {
        if (plan.speaker) plan.via.push(plan.speaker);
        plan.speaker = np;
      }
      break;
    }
  }
  return withNamedVia(ix, a, plan, sentence, content);
}

/**
 * "Y told Reuters", "Y said in an interview with CNN", "Y, speaking with a correspondent of X":
 * a named outlet outside the content and the speaker's own name, right after a telling word.
 */
function withNamedVia(ix: DocIndex, a: Attribution, plan: RelayPlan, sentence: number, content: Range[]): RelayPlan {
  const { doc } = ix;
  const tk = doc.tokens;
  const s = doc.sentences[sentence];
  if (!s) return plan;
  const taken: [number, number][] = [...plan.via];
  if (plan.speaker) taken.push(plan.speaker);
  const speakerHead = plan.speaker ? headName(ix, plan.speaker) : -1;
  // Within the sentence, near the cue: a sentence of a million tokens must not be scanned whole for
  // each of its attributions (NEAR is beyond any role window).
  const [cs, ce] = tokensIn(doc, a.cue.spans[0][0], a.cue.spans[a.cue.spans.length - 1][1]);
  const first = Math.max(s.tokenStart, cs - NEAR);
  const last = Math.min(s.tokenEnd, ce + NEAR);
  const covered: [number, number][] = [];
  for (let t = first; t < last; t++) {
    const ni = ix.nameAt[t];
    if (ni < 0 || (t > 0 && ix.nameAt[t - 1] === ni)) continue;
    const m = ix.names[ni];
    if (m.type !== 'media' || ni === speakerHead) continue;
    if (inRanges(tk[t].start, content)) continue;
    if (plan.via.some(([vs, ve]) => t >= vs && t < ve)) continue;
    let trig = false;
    for (let k = Math.max(s.tokenStart, t - 5); k < t; k++) if (VIA_TRIGGERS.has(tk[k].lower)) trig = true;
    // "the Interfax news agency": the article and the name belong to the mention.
    if (!trig) continue;
    if (covered.some(([fs, fe]) => t >= fs && t < fe)) continue;
    plan.viaNames.push(ni);
    const full = fullOutletName(ix, ni);
    if (full) {
      (plan.viaFull ??= new Map()).set(ni, full);
      covered.push(full);
    }
  }
  void taken;
  return plan;
}

const RELAY_HEADS = new Set(['source', 'sources', 'official', 'officials', 'spokesman', 'spokeswoman', 'spokesperson',
  'representative', 'representatives', 'aide', 'aides', 'person', 'people', 'insider', 'insiders', 'diplomat', 'diplomats',
  'report', 'reports', 'witness', 'witnesses', 'expert', 'experts', 'analyst', 'analysts', 'minister', 'ministry', 'agency',
  'service', 'office', 'department', 'statement', 'head', 'chief', 'director', 'member', 'members', 'resident', 'residents']);
const PERSONAL = new Set(['he', 'she', 'him', 'her', 'them', 'they', 'it', 'us', 'me']);

const PARTICIPLES = new Set(['citing', 'quoting', 'referring']);

/**
 * A voice in a noun phrase: a name, a pronoun or a source-like head. With `possessors` false, a word
 * that owns what follows it is none ("Canada's efforts"); a name is then judged at its last word.
 */
function voiceIn(ix: DocIndex, np: [number, number], possessors: boolean): boolean {
  const tk = ix.doc.tokens;
  for (let t = np[0]; t < np[1]; t++) {
    if (!possessors && t + 1 < np[1] && (POSSESSIVE_S.has(tk[t + 1].lower) || (ix.nameAt[t] >= 0 && ix.nameAt[t + 1] === ix.nameAt[t]))) continue;
    if (ix.nameAt[t] >= 0 || PERSONAL.has(tk[t].lower) || RELAY_HEADS.has(tk[t].lower)) return true;
  }
  return false;
}

/** A verb among tokens [from, to). */
function hasVerb(tk: { pos: string }[], from: number, to: number): boolean {
  for (let t = from; t < to; t++) if (tk[t].pos === 'VERB' || tk[t].pos === 'AUX') return true;
  return false;
}

/** "citing a source", "quoted him", "cited Interfax": a relayed voice, unlike "cited problems". */
function relayable(ix: DocIndex, np: [number, number]): boolean {
  const tk = ix.doc.tokens;
  return voiceIn(ix, np, true) || (tk[np[1]]?.lower === 'as' && tk[np[1] + 1]?.lower === 'saying');
}

/** Index of the first named mention inside a token range, or -1. */
function headName(ix: DocIndex, r: [number, number]): number {
  for (let t = r[0]; t < r[1]; t++) if (ix.nameAt[t] >= 0) return ix.nameAt[t];
  return -1;
}

/** Tokens of an outlet's name that its mention leaves out: "and Courier", "and Friends", "7". */
function fullOutletName(ix: DocIndex, ni: number): [number, number] | null {
  const tk = ix.doc.tokens;
  const m = ix.names[ni];
  const [ms, me] = tokensIn(ix.doc, m.start, m.end);
  const sent = tk[ms].sentence;
  let e = me;
  // "The Post and Courier", "Fox and Friends": "and" joining two capitalised words of one title
  // (no comma before it; after it a capitalised word that is no person's name: "told CNN and Jake
  // Morris" is two parties).
  if ((tk[e]?.lower === 'and' || tk[e]?.text === '&') && tk[e + 1]?.sentence === sent && /^\p{Lu}/u.test(tk[e + 1].text)) {
    const nj = ix.nameAt[e + 1];
    const n = nj >= 0 ? ix.names[nj] : null;
    if (n && (n.type === 'person' || (n.type === null && (n.gender || /\s/.test(n.name))))) return null;
    let k = e + 1;
    if (nj >= 0) k = tokensIn(ix.doc, ix.names[nj].start, ix.names[nj].end)[1];
    else while (k < tk.length && tk[k].sentence === sent && k - e <= 3 && tk[k].pos === 'PROPN') k++;
    if (k > e + 1) e = k;
  }
  // "ABC 7", "Fox News 6": a channel number right after the name.
  if (e === me && tk[e]?.sentence === sent && tk[e].spaceBefore && /^\d{1,3}$/.test(tk[e].text)) e++;
  return e > me ? [ms, e] : null;
}

/**
 * The entity drafts of a plan's named vias: the mention's own entity or, for a name its mention cut
 * short (`viaFull`), an outlet of its own under the whole name.
 */
export function viaNameDrafts(ix: DocIndex, table: EntityTable, plan: RelayPlan): EntityDraft[] {
  const out: EntityDraft[] = [];
  const tk = ix.doc.tokens;
  for (const ni of plan.viaNames) {
    const full = plan.viaFull?.get(ni);
    let d: EntityDraft | undefined;
    if (full) {
      // The name proper: "the Post and Courier newspaper" is the outlet "Post and Courier".
      let e = full[1];
      while (e > full[0] + 1 && !/^[\p{Lu}\d]/u.test(tk[e - 1].text)) e--;
      const name = ix.doc.text.slice(tk[full[0]].start, tk[e - 1].end).replace(/^(the|a|an)\s+/i, '');
      d = table.phrase(`outlet:${orgKey(name)}`, () => table.create({ name, type: 'media' }));
      d.ranges.push([tk[full[0]].start, tk[full[1] - 1].end]);
    } else d = table.byMention.get(ix.names[ni]);
    if (d && !out.includes(d)) out.push(d);
  }
  return out;
}
