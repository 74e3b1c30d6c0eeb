/** The README's example output is what the tool really prints for the bundled example. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { README, committedBlock, exampleBlock } from '../../scripts/readme-example.js';

test('README example block matches the bundled example\'s output (regenerate: node --import tsx scripts/readme-example.ts)', () => {
  const committed = committedBlock(readFileSync(README, 'utf8'));
  assert.ok(committed !== null, 'README.md has no example block');
  assert.equal(committed, exampleBlock());
});
