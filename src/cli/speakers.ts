import type { Command } from 'commander';
import type { GenderLabel, RoleCategory, SpeakerScope, SpeakerType } from '../store/types.js';
import { addDbOption, parseCount, parseOffset, stdoutWriter, withStore } from './db.js';
import { UserError } from './errors.js';
import { safeLine } from '../formats/text-report.js';
import { prettyJson } from '../formats/json.js';

const TYPES = ['person', 'organization', 'media', 'anonymous', 'other', 'unresolved'];
const SCOPES = ['corpus', 'document', 'unnamed'];
const ROLES = ['official', 'politician', 'expert', 'spokesperson', 'citizen', 'media', 'organisation', 'anonymous', 'unknown'];
const GENDERS = ['female', 'male', 'unknown'];

function oneOf(flag: string, value: string | undefined, allowed: string[]): void {
  if (value !== undefined && !allowed.includes(value)) throw new UserError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
}

interface SpeakersFlags {
  db: string;
  limit: string;
  offset?: string;
  type?: string;
  scope?: string;
  role?: string;
  gender?: string;
  json?: boolean;
}

export function registerSpeakers(program: Command): void {
  const cmd = program.command('speakers').description('top speakers in a store, with their outlets and counts');
  addDbOption(cmd)
    .option('--limit <n>', 'how many', '20')
    .option('--offset <n>', 'skip this many (the next page: --offset 20 with --limit 20)')
    .option('--type <type>', `only one type: ${TYPES.join(', ')}`)
    .option('--scope <scope>', `only one scope: ${SCOPES.join(', ')} (corpus: one person or body across articles; document: a bare surname kept to its article; unnamed: an article's unnamed source)`)
    .option('--role <role>', `only one role category: ${ROLES.join(', ')}`)
    .option('--gender <gender>', `only one gender: ${GENDERS.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (flags: SpeakersFlags) => {
      oneOf('--type', flags.type, TYPES);
      oneOf('--scope', flags.scope, SCOPES);
      oneOf('--role', flags.role, ROLES);
      oneOf('--gender', flags.gender, GENDERS);
      const query = {
        limit: parseCount(flags.limit, '--limit'),
        offset: flags.offset !== undefined ? parseOffset(flags.offset) : 0,
        type: flags.type as SpeakerType | undefined,
        scope: flags.scope as SpeakerScope | undefined,
        role: flags.role as RoleCategory | undefined,
        gender: flags.gender as GenderLabel | undefined,
      };
      const list = await withStore(flags.db, (s) => s.speakers(query), { mustExist: true });
      const write = stdoutWriter();
      if (flags.json) return write(`${prettyJson(list)}\n`);
      if (!list.length) {
        process.stderr.write(query.offset ? `no speakers after the first ${query.offset}\n` : 'no speakers yet\n');
        return;
      }
      // Names and outlets come from article text: printed with terminal escapes neutralised.
      const names = list.map((s) => safeLine(s.name));
      const w = Math.max(...names.map((n) => n.length), 7);
      await write(`${'speaker'.padEnd(w)}  type          role          gender       quotes  articles  outlets\n`);
      for (const [i, s] of list.entries()) {
        const outlets = s.outlets.map((o) => `${o.outlet === null ? '(none)' : safeLine(o.outlet)} ${o.attributions}`).join(', ');
        // A gender is shown with its confidence: never a guess presented as fact.
        const gender = s.gender === 'unknown' ? 'unknown' : `${s.gender} ${s.genderConfidence?.toFixed(2)}`;
        const type = s.scope === 'corpus' ? s.type : `${s.type}*`;
        await write(
          `${names[i].padEnd(w)}  ${type.padEnd(12)}  ${s.role.padEnd(12)}  ${gender.padEnd(11)}  ${String(s.attributions).padStart(6)}  ${String(s.documents).padStart(8)}  ${outlets}\n`,
        );
      }
      if (list.some((s) => s.scope !== 'corpus')) await write('* kept to one article (an unnamed source, or a surname the corpus cannot tie to one person)\n');
    });
}
