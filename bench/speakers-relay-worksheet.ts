/**
 * Builds the relay worksheet of the speaker annotations (test/fixtures/speaker-annotations/worksheet-4.tsv):
 * gold PolNeAR *train* attributions (first .ann per text, all 840 texts) whose words may have come through a
 * second party, so the "relay" kind of issue "Speakers v2" can be measured and learned. A candidate is an
 * attribution with a source where one of these holds (the reasons go into the `note` column as "why: ..."):
 *
 * - quote:     the cue quotes or cites ("quoted", "cited", "citing", "quoting");
 * - citing:    "citing" / "quoting" / "with reference to" right after the cue, in the same sentence, or
 *              "citing|quoting" + news, media, outlets, a report, an interview near the source and cue;
 * - as-saying: "quoted|cited ... as saying" around the cue;
 * - told:      from the source to 60 characters after the cue, "told", "in an interview with|on",
 *              "interview aired|published on|by|in", "interview he gave to", "interviewed by", "statement
 *              to", "speaking|spoke|talking to|with", "said on|to", "appearance on", "op-ed|column|letter
 *              in|to", "writing|wrote in", followed by an outlet (the outlet lexicon, a capitalised run
 *              ending in a media head, a call sign like "WEEI"), a quoted show title ("'Face the Nation'"),
 *              a host or anchor ("host Chris Wallace"), a media noun ("Britain's ITV television station"),
 *              or a name "of|on|for|from|with" an outlet ("Jake Tapper of CNN");
 * - according: "according to" with an outlet source, or with a quotation in the content;
 * - src-relay: the source span is a relay itself ("officials quoted by Reuters", "people who spoke to CNN");
 * - outlet:    the source is a news outlet and the content holds someone else's words (a quotation or a
 *              speech verb: "CNN reported that the senator said ...").
 *
 * PolNeAR's first .ann per text does not nest attributions (one content overlaps another attribution's
 * cue or source once in 19,830), so "the senator said" inside CNN's content is no attribution of its own
 * and the relay shows in the outer one.
 *
 * (doc, att) pairs already in annotated-1..3.tsv are skipped. The `part` column is decided by the article
 * name before annotation, by the rule of the first three sets (`partOf` in bench/speakers-data.ts).
 *
 *   node --import tsx bench/speakers-relay-worksheet.ts [--out test/fixtures/speaker-annotations/worksheet-4.tsv]
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnnotatedDir } from '../src/formats/polnear.js';
import { MEDIA_HEADS, OUTLETS } from '../src/nlp/lexicons/organizations.js';
import { ANNOTATION_DIR, partOf, root } from './speakers-data.js';

const i = process.argv.indexOf('--out');
const out = i > 0 ? process.argv[i + 1] : join(ANNOTATION_DIR, 'worksheet-4.tsv');

/** (doc, att) pairs of the earlier sets. */
const done = new Set<string>();
for (const f of readdirSync(ANNOTATION_DIR).filter((f) => /^annotated-[123]\.tsv$/.test(f))) {
  for (const l of readFileSync(join(ANNOTATION_DIR, f), 'utf8').split('\n')) {
    if (!l.trim() || l.startsWith('#')) continue;
    const c = l.split('\t');
    done.add(`${c[0]}\t${c[2]}`);
  }
}

/** Newspaper names the speakers lexicon lacks as heads ("the Orlando Sentinel", "the Star-Ledger"). */
const MORE_HEADS = new Set(['sentinel', 'ledger', 'star-ledger', 'sun-times', 'bee', 'enquirer', 'dealer', 'statesman', 'oregonian',
  'tennessean', 'journal-constitution', 'union-tribune', 'post-gazette', 'courant', 'advertiser', 'eagle', 'blade', 'beacon']);
/** Heads of show titles, outlets only after another capitalised word ("Vermont Edition", not "Sunday"). */
const SHOW_HEADS = new Set(['edition', 'hour', 'nation', 'morning', 'tonight', 'sunday', 'live', 'report', 'show']);
/** Broadcast call signs: "WEEI", "WMUR", "KCRA-TV". */
const CALL_SIGN = /^[KW][A-Z]{2,3}(?:-(?:TV|FM|AM))?$/;

/** A news outlet or show by name: the lexicon, or a capitalised run ending in a media head ("the Moscow Times"). */
function isOutlet(s: string): boolean {
  const t = s.trim().replace(/^the\s+/i, '').replace(/['’]s?$/, '').toLowerCase();
  if (OUTLETS.has(t)) return true;
  const words = s.trim().split(/\s+/);
  const lastWord = words[words.length - 1].replace(/['’]s?$/, '');
  if (words.length === 1 && CALL_SIGN.test(lastWord)) return true;
  const last = lastWord.toLowerCase();
  return /^[A-Z]/.test(lastWord) && (MEDIA_HEADS.has(last) || MORE_HEADS.has(last) || (SHOW_HEADS.has(last) && words.length > 1 && /^[A-Z]/.test(words[words.length - 2])));
}

const QUOTE_CUE = /\b(quot(e|es|ed|ing)|cit(e|es|ed|ing))\b/i;
/** A phrase that hands words to a second party, followed by that party's name. */
const HANDED = /\b(?:told|tells|in\s+an?\s+(?:[\w-]+\s+){0,2}interview\s+(?:with|on|(?:aired|published|broadcast)\s+(?:on|by|in))|interview\s+(?:he|she|they)\s+gave\s+to|interviewed\s+by|statement\s+to|(?:speaking|spoke|talking|talked)\s+(?:to|with)|said\s+(?:on|to)|appearance\s+on|(?:op-ed|column|letter)\s+(?:in|to)|writing\s+in|wrote\s+in)\s+((?:the\s+)?[^\s,.;]+(?:\s+[^\s,.;]+){0,6})/giu;

/** Does a party named right after a handing phrase look like an outlet or show ("CNN", "the Post", "'Face the Nation'", "Jake Tapper of CNN")? */
function outletAfter(tail: string): boolean {
  if (/^[“"‘']\s*[A-Z]/.test(tail)) return true;
  // "told host Chris Wallace", "told the MSNBC hosts of", "told Britain's ITV television station"
  if (/^(?:the\s+|a\s+|an\s+)?(?:[A-Z][\p{L}'’.-]*\s+)?(?:hosts?|co-?hosts?|anchor|correspondent|interviewer|moderator|columnist|editorial\s+board)\b/iu.test(tail)) return true;
  if (/^(?:\S+\s+){0,4}(?:television|station|network|newspaper|magazine|radio|channel|podcast|tabloid|broadcaster|news\s+agency)\b/i.test(tail)) return true;
  const bare = tail.replace(/^the\s+/i, '');
  // With and without a possessive first word: "CNN's Jake Tapper", "Britain's ITV".
  for (const t of [bare, bare.replace(/^[A-Z][\p{L}-]*['’]s\s+/u, '')]) {
    const words = t.split(/\s+/);
    for (let n = Math.min(words.length, 5); n >= 1; n--) {
      const run = words.slice(0, n);
      if (!run.every((w) => /^[A-Z0-9]/.test(w) || /^(of|the|and|&)$/.test(w))) continue;
      if (isOutlet(run.join(' ').replace(/['’]s$/, ''))) return true;
    }
  }
  // "told Jake Tapper of CNN", "told a reporter for the Post"
  const m = /^(?:[A-Z][\p{L}.'’-]*\s+){0,3}(?:[a-z]+\s+){0,2}(?:of|on|for|from|with)\s+(?:the\s+)?((?:[A-Z][\p{L}.&'’-]*\s*){1,4})/u.exec(tail);
  return !!m && isOutlet(m[1].trim());
}

function handed(s: string): boolean {
  for (const m of s.matchAll(HANDED)) if (outletAfter(m[1])) return true;
  return false;
}

const AS_SAYING = /\b(quoted|cited|quotes|cites|quoting|citing)\b[^.;]{0,80}\bas\s+(saying|telling|stating|writing|warning|adding|describing|calling)\b/i;
const CITING_AFTER = /^[^.;\n]{0,40}?\b(citing|quoting|with reference to|referring to)\b/i;
/** "Citing local news outlets", "citing a report in the Post": a citing phrase naming media, before or after the cue. */
const CITING_NEWS = /\b(?:citing|quoting)\s+(?:an?\s+|the\s+)?(?:[\w'’-]+\s+){0,3}(?:news|media|outlets?|reports?|newspapers?|television|radio|broadcaster|agency|interview)\b/i;
const SRC_RELAY = /\b(quoted|cited|according to|told|spoke|speaking|talked|interview\w*)\b/i;

const docs = loadAnnotatedDir(join(root, '../shared/data/polnear/train'));
const clean = (s: string): string => s.replace(/[\t\n\r]+/g, ' ');
const header = '# doc\tpart\tatt\tsource_start\tsource_end\tsource_text\tcue_text\tcontent_head\tkind_guess\tspeaker\tkind\tvia\tnote';
const rows: string[] = [];
const reasonCount = new Map<string, number>();
const articles = new Set<string>();
for (const d of docs) {
  const spanText = (r: [number, number][]) => r.map(([s, e]) => d.text.slice(s, e)).join(' … ');
  for (const a of d.gold) {
    if (!a.source?.length || done.has(`${d.name}\t${a.id}`)) continue;
    const src = spanText(a.source);
    const cue = spanText(a.cue);
    const cueStart = a.cue[0][0];
    const cueEnd = a.cue[a.cue.length - 1][1];
    const lo = Math.min(cueStart, a.source[0][0]);
    const hi = Math.max(cueEnd, a.source[a.source.length - 1][1]);
    // The paragraph around the source and cue, up to 150 characters either side.
    const paraStart = Math.max(d.text.lastIndexOf('\n', lo) + 1, lo - 150);
    const nl = d.text.indexOf('\n', hi);
    const paraEnd = Math.min(nl < 0 ? d.text.length : nl, hi + 150);
    const around = d.text.slice(paraStart, paraEnd);
    const why: string[] = [];
    if (QUOTE_CUE.test(cue)) why.push('quote');
    if (CITING_AFTER.test(d.text.slice(cueEnd, paraEnd)) || CITING_NEWS.test(d.text.slice(Math.max(paraStart, lo - 80), Math.min(paraEnd, hi + 80)))) why.push('citing');
    if (AS_SAYING.test(around)) why.push('as-saying');
    if (handed(d.text.slice(lo, Math.min(paraEnd, hi + 60)))) why.push('told');
    const content = a.content.length ? spanText(a.content) : '';
    if (/according to/i.test(cue) && (isOutlet(src) || /["“”]/.test(content))) why.push('according');
    if (SRC_RELAY.test(src)) why.push('src-relay');
    if (isOutlet(src) && !why.includes('according') && /["“]|\b(said|says|told|tells|saying|quoted|according to|asked)\b/.test(content)) why.push('outlet');
    if (!why.length) continue;
    for (const w of why) reasonCount.set(w, (reasonCount.get(w) ?? 0) + 1);
    articles.add(d.name);
    const head = a.content.length ? d.text.slice(a.content[0][0], Math.min(a.content[0][1], a.content[0][0] + 70)) : '';
    rows.push([d.name, partOf(d.name), a.id, a.source[0][0], a.source[a.source.length - 1][1], clean(src), clean(cue), clean(head), 'relay', '', '', '', `why: ${why.join(' ')}`].join('\t'));
  }
}
writeFileSync(out, [header, ...rows].join('\n') + '\n');
const parts = (p: string) => rows.filter((r) => r.split('\t')[1] === p).length;
console.log(`${rows.length} candidates over ${articles.size} articles (learn ${parts('learn')}, measure ${parts('measure')}) -> ${out}`);
console.log([...reasonCount].map(([k, v]) => `${k} ${v}`).join(', '));
