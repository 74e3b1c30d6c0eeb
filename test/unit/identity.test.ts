/**
 * Corpus speaker identity through the real pipeline: passages written for these tests (not from the
 * hand-checked sample) are analysed, stored in a SQLite store and read back as corpus speakers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/index.js';
import { contentHash, openStore, type Store } from '../../src/store/index.js';
import type { Analysis } from '../../src/core/types.js';
import {
  chooseSurnameTarget,
  classify,
  corpusPersonName,
  documentSpeakers,
  nameUse,
  genderOf,
  normalizeName,
  PRONOUNS,
  personParts,
  roleOf,
  withoutTitles,
} from '../../src/store/speaker-identity.js';
import type { SpeakerSummary } from '../../src/store/types.js';

async function storeOf(texts: string[]): Promise<{ store: Store; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'whosaid-identity-'));
  const store = await openStore(join(dir, 'x.db'));
  await store.addAnalyses(texts.map((text, i) => ({ hash: contentHash(text, `d${i}`), analysis: analyze(text, { id: `d${i}` }), text })));
  return { store, dir };
}

const byName = (list: SpeakerSummary[], name: string) => list.filter((s) => s.name === name);

describe('identity: written names', () => {
  it('keys a person by first given name and surname, without titles, middle names, initials or possessives', () => {
    const key = (n: string) => {
      const c = classify(n, 'person');
      return c.kind === 'person' ? c.parts.full ?? `surname:${c.parts.surname}` : c.kind;
    };
    assert.equal(key('Donald J. Trump'), key('Donald Trump'));
    assert.equal(key('Hillary Rodham Clinton'), key('Hillary Clinton'));
    assert.equal(key('Sen. Bernie Sanders'), key('Bernie Sanders'));
    assert.equal(key('Ben Carson'), key('Benjamin Carson'));
    assert.equal(key('Nick Clegg'), key('Nicholas Clegg'));
    assert.equal(key('Chuck Schumer'), key('Charles Schumer'));
    // A bare surname keys as its surname's token form (nameTokenKey: "Cruz" is "kruz").
    assert.equal(key('Trump'), 'surname:trump');
    assert.equal(key("Mr. Trump's"), key('Trump'));
    assert.equal(key('Unlike Cruz'), key('Cruz'));
    assert.match(key('Cruz'), /^surname:/);
    assert.equal(key('On Trump'), key('Trump'));
    // Transliterations share a key; a Jr. is another person.
    assert.equal(key('Muammar Gaddafi'), key('Moammar Qaddafi'));
    assert.notEqual(key('Donald Trump Jr.'), key('Donald Trump'));
    assert.equal(personParts('Paul D. Ryan')?.display, 'Paul Ryan');
    // Short forms of one formal name: "Jim Comey" is "James B. Comey"; "Pat" (Patrick or Patricia) is not folded.
    assert.equal(key('Jim Comey'), key('James B. Comey'));
    assert.equal(key('Rudy Giuliani'), key('Rudolph Giuliani'));
    assert.notEqual(key('Pat Smith'), key('Patrick Smith'));
    assert.equal(withoutTitles('Capt. Maria Okonkwo-Hale'), 'Maria Okonkwo-Hale');
  });

  it('gives pronouns, relative pronouns, fragments and generic nominals no identity', () => {
    for (const w of ['I', 'we', 'You', 'who', 'which', 'that', 'The', 'One', 'some', 'many', "I'm", 'they’re']) {
      assert.equal(classify(w, 'person').kind, 'none', w);
      assert.equal(classify(w, 'unresolved').kind, 'none', w);
    }
    for (const w of ['the company', 'the report', 'The poll', 'a new study']) assert.equal(classify(w, 'other').kind, 'none', w);
    assert.equal(classify('senior officials', 'unresolved', true).kind, 'unnamed');
    assert.equal(classify('Clinton insiders', 'other').kind, 'unnamed');
    const camp = classify("Trump's campaign", 'other');
    assert.equal(camp.kind, 'body');
    assert.equal(camp.kind === 'body' && camp.key, 'o:trump campaign');
  });

  it('reads a role category from descriptors', () => {
    assert.equal(roleOf('McGinty campaign spokesman'), 'spokesperson');
    assert.equal(roleOf('a professor of economics'), 'expert');
    assert.equal(roleOf('former Wisconsin Gov.'), 'politician');
    assert.equal(roleOf('the city manager'), 'official');
    assert.equal(roleOf('exasperated'), null);
  });

  it('reports a gender only with enough evidence, with its basis', () => {
    assert.deepEqual(genderOf(0, 0, null), { gender: 'unknown', confidence: null, basis: null });
    assert.equal(genderOf(0, 0, 'f').gender, 'female');
    assert.equal(genderOf(0, 0, 'f').basis, 'name');
    assert.equal(genderOf(5, 0, null).basis, 'text');
    // Conflicting evidence is no answer.
    assert.equal(genderOf(1, 0, 'f').gender, 'unknown');
    assert.equal(genderOf(2, 2, null).gender, 'unknown');
  });

  it('links a bare surname only to a clearly leading person of the right gender', () => {
    const c = (id: number, documents: number, gender: 'male' | 'female' | 'unknown') => ({ id, documents, gender });
    assert.equal(chooseSurnameTarget([c(1, 40, 'female'), c(2, 8, 'male')], 'unknown'), 1);
    assert.equal(chooseSurnameTarget([c(1, 40, 'female'), c(2, 20, 'male')], 'unknown'), null);
    assert.equal(chooseSurnameTarget([c(1, 40, 'female'), c(2, 20, 'male')], 'male'), 2);
    assert.equal(chooseSurnameTarget([c(1, 2, 'male')], 'unknown'), null);
    assert.equal(chooseSurnameTarget([], 'unknown'), null);
  });

  it('keys a corpus person only by a name that is no place, publication or body, or that the text makes a person', () => {
    const none = { titled: false, described: false, gendered: false };
    const p = (n: string) => personParts(n)!;
    for (const n of ['New Hampshire', 'Mexico City', 'Orlando Sentinel', 'Trump Tower', 'Morning Consult Poll', 'Iowa Markets']) {
      assert.equal(corpusPersonName(p(n), none), false, n);
      // A title in the text does make one ("Mayor Mexico City" is no one, but the rule is the text's).
      assert.equal(corpusPersonName(p(n), { ...none, titled: true }), true, n);
    }
    // Evidence other than a title does not rescue a place name: pronouns the speakers stage resolved to it.
    assert.equal(corpusPersonName(p('New Hampshire'), { ...none, gendered: true, described: true }), false);
    // Known given names are persons; an unknown one needs no evidence unless a word is a common word there.
    assert.equal(corpusPersonName(p('Jenna Golden'), none), true);
    const text = 'Classic Clinton, they said, was the classic move.';
    assert.equal(corpusPersonName(p('Classic Clinton'), none, nameUse(text)), false);
    assert.equal(corpusPersonName(p('Classic Clinton'), { ...none, described: true }, nameUse(text)), true);
    assert.equal(corpusPersonName(p('Tad Devine'), none, nameUse('Tad Devine said the count was on.')), true);
  });

  it('keeps a person name made of a place to each of its articles', () => {
    const doc = (i: number, descriptors: string[] = []): Analysis => ({
      schema: 'whosaid/1', document: { id: `p${i}`, title: null, chars: 40 },
      entities: [{ id: 'e1', name: 'New Hampshire', type: 'person', anonymous: false, aliases: [], descriptors, mentions: [[0, 13]] }],
      attributions: [{ id: 'a1', source: { text: 'New Hampshire', spans: [[0, 13]] }, cue: { text: 'said', spans: [[14, 18]] },
        content: { text: 'it was close', spans: [[19, 31]] }, kind: 'indirect', speaker: 'e1', via: [], parent: null, hedged: false, confidence: 0.9 }],
      profile: { attributions: 1, speakers: 1, named: 1, anonymous: 0, unattributed: 0, headlineQuestion: false, flags: [] },
    });
    const keys = [0, 1].map((i) => documentSpeakers(doc(i), `h${i}`, 'New Hampshire said it was close.').speakers[0]);
    assert.deepEqual(keys.map((k) => k.scope), ['document', 'document']);
    assert.notEqual(keys[0].norm, keys[1].norm);
    assert.equal(keys[0].surname, null, 'not a bare surname a corpus person could take');
    // The same entity named as a person ("Gov. Maggie Hassan") is a corpus person in both.
    const hassan = (i: number) => {
      const a = doc(i);
      a.entities[0] = { ...a.entities[0], name: 'Maggie Hassan', aliases: ['Gov. Maggie Hassan'] };
      return documentSpeakers(a, `h${i}`, 'Gov. Maggie Hassan said it was close.').speakers[0];
    };
    assert.equal(hassan(0).norm, hassan(1).norm);
    assert.equal(hassan(0).scope, 'corpus');
  });

  it('keeps a body named by a generic head alone to its article', () => {
    for (const [n, t] of [['the Post', 'media'], ['The House', 'organization'], ['Police', 'organization']] as const) {
      const c = classify(n, t);
      assert.ok(c.kind === 'body' && c.local, n);
    }
    for (const [n, t] of [['Congress', 'organization'], ['The Washington Post', 'media'], ['the State Department', 'organization']] as const) {
      const c = classify(n, t);
      assert.ok(c.kind === 'body' && !c.local, n);
    }
  });

  it('keeps a one-word body that is the surname of a person the article names in full to that article', () => {
    const body = (text: string, people: string[]): ReturnType<typeof documentSpeakers>['speakers'][number] => {
      const at = (w: string): [number, number] => [text.indexOf(w), text.indexOf(w) + w.length];
      const a: Analysis = {
        schema: 'whosaid/1', document: { id: 'i', title: null, chars: text.length },
        entities: [
          ...people.map((p, i) => ({ id: `p${i}`, name: p, type: 'person' as const, anonymous: false, aliases: [], descriptors: [], mentions: [at(p)] })),
          { id: 'e1', name: 'Lindqvia', type: 'organization', anonymous: false, aliases: [], descriptors: [], mentions: [at('Lindqvia said')] },
        ],
        attributions: [],
        profile: { attributions: 0, speakers: 1, named: 1, anonymous: 0, unattributed: 0, headlineQuestion: false, flags: [] },
      };
      const d = documentSpeakers(a, 'h', text);
      return d.speakers[d.entity.get('e1')!];
    };
    // Beside "Rep. Tomas Lindqvia" the words "Lindqvia said" may be the man or the country.
    const local = body('Rep. Tomas Lindqvia spoke first. Lindqvia said the vote would be close.', ['Tomas Lindqvia']);
    assert.equal(local.scope, 'document');
    // With no person of that surname in the article it is the corpus-wide body.
    const corpus = body('Marta Oyelaran spoke first. Lindqvia said the vote would be close.', ['Marta Oyelaran']);
    assert.equal(corpus.scope, 'corpus');
  });

  it('does not give a bare surname the text makes a woman to the article\'s one man of that surname', () => {
    const text = 'Bill Clinton spoke first. Clinton said she would win. She added that her plan was ready.';
    const at = (w: string, from = 0): [number, number] => [text.indexOf(w, from), text.indexOf(w, from) + w.length];
    const a: Analysis = {
      schema: 'whosaid/1', document: { id: 'c', title: null, chars: text.length },
      entities: [
        { id: 'e1', name: 'Bill Clinton', type: 'person', anonymous: false, aliases: [], descriptors: [], mentions: [at('Bill Clinton')] },
        { id: 'e2', name: 'Clinton', type: 'person', anonymous: false, aliases: [], descriptors: [], mentions: [at('Clinton', 20), at('she'), at('She'), at('her')] },
      ],
      attributions: [],
      profile: { attributions: 0, speakers: 2, named: 2, anonymous: 0, unattributed: 0, headlineQuestion: false, flags: [] },
    };
    const d = documentSpeakers(a, 'h', text);
    const bill = d.speakers[d.entity.get('e1')!];
    const bare = d.speakers[d.entity.get('e2')!];
    assert.equal(bill.scope, 'corpus');
    assert.notEqual(bare.norm, bill.norm);
    assert.deepEqual([bare.scope, bare.surname], ['document', bill.surname]);
    // Without the pronouns the bare surname is the article's Bill Clinton.
    const plain = { ...a, entities: [a.entities[0], { ...a.entities[1], mentions: [at('Clinton', 20)] }] };
    const d2 = documentSpeakers(plain, 'h', text);
    assert.equal(d2.speakers[d2.entity.get('e2')!].norm, bill.norm);
  });
});

describe('identity: stored corpus speakers', () => {
  let store: Store;
  let dir: string;
  const texts = [
    `Wall vow\n\nDonald J. Trump, the Republican presidential nominee, said on Monday that the wall would be built. "We will build it," Mr. Trump said. He added that Mexico would pay.`,
    `Ohio rally\n\nDonald Trump told reporters in Ohio that the polls were rigged. Trump said he would win Ohio.`,
    `Wage plan\n\nHillary Rodham Clinton said on Tuesday that she would raise the minimum wage. "It is time," Mrs. Clinton said.`,
    `Debate\n\nHillary Clinton said the plan was reckless. Clinton said she would not back down.`,
    `Voices\n\n"I think we will win," I said. Some said the plan would fail. The company said profits fell. Many argued otherwise. The report said unemployment rose. An official, who said she was not authorized to speak, said talks had stalled.`,
    // Two Millers of the same weight: a bare "Miller" is neither.
    `Bridge\n\nJohn Miller, the city engineer, said the bridge would open next year.`,
    `Bridge again\n\nJohn Miller said the bridge was safe.`,
    `Bridge three\n\nJohn Miller said the toll would stay.`,
    `Schools\n\nSusan Miller, the school superintendent, said classes would resume.`,
    `Schools again\n\nSusan Miller said the teachers had agreed.`,
    `Schools three\n\nSusan Miller said the budget was tight.`,
    `Council\n\nMiller said the vote would be close. "It is ready," Miller said.`,
    `Harbour\n\nKerensa Dalloway, a professor of economics at Leeds, said the index was flawed.`,
    // An outlet's name that the article gives a person: the mayor, not the newspaper.
    `Casino\n\nAtlantic City Mayor Don Guardian said the casino would reopen. Guardian, the first Republican mayor in two decades, said the city would recover.`,
    `Papers\n\nThe Guardian reported that the casino had closed.`,
  ];

  before(async () => {
    ({ store, dir } = await storeOf(texts));
  });
  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('merges name variants across articles into one speaker', async () => {
    const all = await store.speakers({ limit: 200 });
    const trump = byName(all, 'Donald Trump');
    assert.equal(trump.length, 1, JSON.stringify(all.map((s) => s.name)));
    assert.equal(trump[0].documents, 2);
    assert.equal(trump[0].scope, 'corpus');
    const clinton = byName(all, 'Hillary Clinton');
    assert.equal(clinton.length, 1);
    assert.equal(clinton[0].documents, 2);
    assert.ok(!all.some((s) => /Donald J\. Trump|Rodham/.test(s.name)));
    const detail = await store.speaker(trump[0].id);
    assert.ok(detail);
    // Aliases are names; descriptors are kept apart.
    assert.ok(detail.aliases.includes('donald j trump'), detail.aliases.join(', '));
    assert.ok(!detail.aliases.some((a) => /nominee|mr /.test(a)));
    assert.ok(detail.descriptors.some((d) => /presidential nominee/.test(d.descriptor)));
    assert.equal(detail.role, 'politician');
    assert.equal(detail.gender, 'male');
    assert.equal((await store.search({ speaker: 'Donald J. Trump' })).length, trump[0].attributions);
  });

  it('never makes a speaker of a pronoun, a fragment or a generic nominal', async () => {
    const all = await store.speakers({ limit: 500 });
    for (const s of all) {
      const n = normalizeName(s.name);
      assert.ok(!n.split(' ').every((w) => PRONOUNS.has(w)), s.name);
      assert.ok(!['the', 'one', 'some', 'many', 'the company', 'company', 'the report', 'report'].includes(n), s.name);
    }
    // The voices article still has its attributions, with no speaker for them.
    const voices = await store.getDocument('d4');
    assert.ok(voices && voices.attributions.length >= 4);
    const hits = await store.search({ text: 'profits fell' });
    assert.equal(hits.length, 1);
    assert.equal(hits[0].attribution.speaker, null);
  });

  it('keeps a surname that two people of the corpus share to its article', async () => {
    const all = await store.speakers({ limit: 200 });
    assert.equal(byName(all, 'John Miller').length, 1);
    assert.equal(byName(all, 'Susan Miller').length, 1);
    const bare = byName(all, 'Miller');
    assert.equal(bare.length, 1);
    assert.equal(bare[0].scope, 'document');
    assert.equal(bare[0].documents, 1);
    assert.equal((await store.speaker(bare[0].id))?.resolvedTo, null);
  });

  it('keeps an outlet apart from a person of its name', async () => {
    const all = await store.speakers({ limit: 200 });
    const mayor = byName(all, 'Don Guardian');
    assert.equal(mayor.length, 1, JSON.stringify(all.map((s) => s.name)));
    assert.equal(mayor[0].attributions, 2);
    for (const s of all.filter((x) => /Guardian/.test(x.name) && x.type === 'media')) assert.equal(s.documents, 1);
  });

  it('says "unknown" for a gender the text does not support', async () => {
    const all = await store.speakers({ limit: 200 });
    const k = byName(all, 'Kerensa Dalloway')[0];
    assert.ok(k, JSON.stringify(all.map((s) => s.name)));
    assert.equal(k.gender, 'unknown');
    assert.equal(k.genderConfidence, null);
    assert.equal(k.role, 'expert');
    const h = byName(all, 'Hillary Clinton')[0];
    assert.equal(h.gender, 'female');
    assert.equal(h.genderBasis, 'text+name');
    assert.ok(h.genderConfidence! >= 0.75);
  });

  it('links a bare surname to the one person of the corpus who clearly leads it', async () => {
    const more = [0, 1, 2].map((i) => `Rally ${i}\n\nBarack Obama said on day ${i} that the deal was good.`);
    more.push(`Speech\n\nObama said the economy had recovered. "We are better off," Obama said.`);
    await store.addAnalyses(more.map((text, i) => ({ hash: contentHash(text, `o${i}`), analysis: analyze(text, { id: `o${i}` }), text })));
    const all = await store.speakers({ limit: 200 });
    assert.equal(byName(all, 'Obama').length, 0);
    const obama = byName(all, 'Barack Obama');
    assert.equal(obama.length, 1);
    assert.equal(obama[0].documents, 4);
  });
});
