// Runs the CLI from source under tsx (node --import tsx test/e2e/corpus-cli-entry.ts …), for the corpus e2e tests.
import { main } from '../../src/cli/index.js';

await main(process.argv);
