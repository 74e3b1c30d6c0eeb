// Quotation conventions: typewriter marks (''…'' in the NYT, ``…'') and guillemets read as quotation
// marks, with every offset still pointing into the original text (nothing is rewritten).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDoc } from '../../src/nlp/document.js';
import { doubleQuoteOf, quoteRegions } from '../../src/nlp/quotes.js';
import { buildContext } from '../../src/attribution/features.js';
import { analyze } from '../../src/analyze.js';

/** The words inside quotations, as the quotation regions mark them (quote marks left out). */
function quoted(text: string): string[][] {
  const doc = readDoc(text);
  const region = quoteRegions(doc);
  const out = new Map<number, string[]>();
  doc.tokens.forEach((t, i) => {
    if (region[i] < 0 || doubleQuoteOf(t.text)) return;
    if (!out.has(region[i])) out.set(region[i], []);
    out.get(region[i])!.push(t.text);
  });
  return [...out.values()];
}

test("doubled apostrophes are one token each, with the original characters and offsets", () => {
  const text = "Mr. Garin added, ''it becomes harder,'' the economist said.";
  const doc = readDoc(text);
  const marks = doc.tokens.filter((t) => t.text === "''");
  assert.equal(marks.length, 2);
  for (const t of doc.tokens) assert.equal(text.slice(t.start, t.end), t.text);
  assert.deepEqual(marks.map((t) => t.start), [text.indexOf("''"), text.lastIndexOf("''")]);
});

test("''…'' and ``…'' are quotations; the words around them are not", () => {
  assert.deepEqual(quoted("He said, ''we will win,'' and left."), [['we', 'will', 'win', ',']]);
  assert.deepEqual(quoted("``Hello there,'' she said."), [['Hello', 'there', ',']]);
  assert.deepEqual(quoted('Il a dit: «Nous gagnerons» hier.'), [['Nous', 'gagnerons']]);
});

test('single apostrophes stay apostrophes', () => {
  assert.deepEqual(quoted("Trump's aides said the '90s were over and it's 'fine'."), []);
});

test("a typewriter quotation mark has the features of its typographic form", () => {
  const a = buildContext(readDoc("He said, ''no,'' firmly."));
  const b = buildContext(readDoc('He said, "no," firmly.'));
  assert.equal(a.n, b.n);
  assert.deepEqual(Array.from(a.word), Array.from(b.word));
  assert.deepEqual(Array.from(a.shape), Array.from(b.shape));
  assert.deepEqual(Array.from(a.quote), Array.from(b.quote));
});

test("a quotation in ''…'' is analysed as the same quotation in \"…\" is", () => {
  const typewriter = "The port strike will go on. ''We are not going to back down,'' Jane Smith, the union's president, said on Monday.";
  const typographic = typewriter.replaceAll("''", '"');
  const a = analyze(typewriter).attributions;
  const b = analyze(typographic).attributions;
  assert.ok(b.length > 0, 'the model finds the plain quotation');
  assert.deepEqual(a.map((x) => [x.kind, x.cue.text, x.source?.text]), b.map((x) => [x.kind, x.cue.text, x.source?.text]));
  assert.deepEqual(a.map((x) => x.content.text.replaceAll("''", '"')), b.map((x) => x.content.text));
  assert.ok(a.some((x) => x.kind === 'direct'));
});
