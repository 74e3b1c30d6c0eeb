/**
 * Titles, honorifics and role nouns for people; written by hand for the speakers stage.
 * All keys are lowercase; abbreviations keep their full stop ("sen.", "lt.").
 */
import type { Gender } from './first-names.js';

const set = (s: string) => new Set(s.split(/\s+/).filter(Boolean));

/** Honorifics and abbreviated titles that precede a person's name. Value: gender where it tells. */
export const HONORIFICS: ReadonlyMap<string, Gender | null> = new Map<string, Gender | null>([
  ['mr.', 'm'], ['mr', 'm'], ['mrs.', 'f'], ['mrs', 'f'], ['ms.', 'f'], ['ms', 'f'], ['miss', 'f'],
  ['sir', 'm'], ['dame', 'f'], ['lady', 'f'], ['lord', 'm'], ['madam', 'f'], ['madame', 'f'], ['mme', 'f'],
  ['m.', 'm'], ['herr', 'm'], ['frau', 'f'], ['señor', 'm'], ['señora', 'f'], ['sheikh', 'm'], ['sheik', 'm'],
  ['king', 'm'], ['queen', 'f'], ['prince', 'm'], ['princess', 'f'], ['emir', 'm'], ['sultan', 'm'],
  ['pope', 'm'], ['ayatollah', 'm'], ['rabbi', null], ['imam', 'm'], ['rev.', null], ['reverend', null],
  ['father', 'm'], ['sister', 'f'], ['brother', 'm'], ['cardinal', 'm'], ['bishop', null],
  ['dr.', null], ['dr', null], ['prof.', null], ['professor', null],
  ['sen.', null], ['senator', null], ['rep.', null], ['representative', null], ['gov.', null], ['governor', null],
  ['lt.', null], ['gen.', null], ['col.', null], ['maj.', null], ['capt.', null], ['cpt.', null], ['sgt.', null],
  ['cmdr.', null], ['adm.', null], ['brig.', null], ['cpl.', null], ['pvt.', null], ['lt', null], ['gen', null],
  ['general', null], ['admiral', null], ['colonel', null], ['major', null], ['captain', null], ['lieutenant', null],
  ['sergeant', null], ['commander', null], ['marshal', null], ['corporal', null], ['private', null], ['brigadier', null],
  ['president', null], ['vice', null], ['premier', null], ['chancellor', null], ['mayor', null], ['judge', null],
  ['justice', null], ['ambassador', null], ['secretary', null], ['minister', null], ['prime', null],
  ['speaker', null], ['chairman', 'm'], ['chairwoman', 'f'], ['chair', null], ['director', null], ['detective', null],
  ['officer', null], ['inspector', null], ['chief', null], ['deputy', null], ['attorney', null], ['coach', null],
  ['congressman', 'm'], ['congresswoman', 'f'], ['assemblyman', 'm'], ['assemblywoman', 'f'], ['councilman', 'm'],
  ['councilwoman', 'f'], ['councillor', null], ['councilor', null], ['commissioner', null], ['sheriff', null],
  ['superintendent', null], ['constable', null], ['nominee', null], ['candidate', null], ['spokesman', 'm'],
  ['spokeswoman', 'f'], ['spokesperson', null], ['leader', null], ['envoy', null], ['dean', null], ['pastor', null],
  ['retired', null], ['former', null], ['acting', null], ['late', null], ['ret.', null], ['gov', null], ['sen', null],
  ['rep', null], ['ag', null], ['a.g.', null], ['pres.', null], ['atty.', null], ['supt.', null], ['insp.', null], ['det.', null], ['msgr.', null],
]);

/** Nouns that name a person by role: "the minister", "a spokesman for Y". Value: gender where it tells. */
export const PERSON_ROLES: ReadonlyMap<string, Gender | null> = (() => {
  const m = new Map<string, Gender | null>();
  for (const w of `minister president senator governor mayor secretary spokesperson official director chairman
    chair chief head leader ambassador envoy diplomat general admiral colonel commander officer judge justice
    prosecutor attorney lawyer candidate nominee lawmaker legislator congressman congresswoman representative
    premier chancellor adviser advisor aide analyst expert economist scientist researcher professor doctor
    physician spokesman spokeswoman executive ceo founder owner manager coordinator negotiator mediator
    commissioner inspector investigator detective sheriff captain sergeant lieutenant soldier businessman
    businesswoman billionaire tycoon activist campaigner organizer organiser pastor priest bishop cleric
    imam rabbi pope king queen prince princess monarch dictator strongman governor-general deputy
    vice-president counsel strategist pollster consultant operative staffer surrogate chairwoman host
    anchor correspondent reporter journalist editor columnist writer author commentator blogger witness
    resident survivor victim mother father son daughter wife husband brother sister widow man woman boy girl
    veteran student teacher worker farmer owner driver pilot nurse voter supporter critic opponent rival
    challenger incumbent speaker whip magnate mogul star actor actress singer rapper player coach fan
    president-elect frontrunner front-runner contender hopeful runner-up agent`.split(/\s+/)) if (w) m.set(w, null);
  for (const w of 'spokesman businessman congressman chairman father son husband brother man boy king prince actor'.split(' ')) m.set(w, 'm');
  for (const w of 'spokeswoman businesswoman congresswoman chairwoman mother daughter wife sister widow woman girl queen princess actress'.split(' ')) m.set(w, 'f');
  return m;
})();

/** Role heads that, without a name, leave the speaker unnamed ("a source", "officials", "witnesses"). */
export const ANONYMOUS_HEADS = set(`source sources official officials insider insiders aide aides witness
  witnesses resident residents person people individual individuals diplomat diplomats observer observers
  analyst analysts expert experts critic critics activist activists employee employees staffer staffers
  member members investigator investigators authorities report reports media press rumor rumors
  rumour rumours account accounts insider someone somebody spokesman spokeswoman spokesperson officer
  officers lawmaker lawmakers legislator legislators supporter supporters opponent opponents voter voters
  worker workers protester protesters protestors demonstrator demonstrators colleague colleagues friend
  friends relative relatives neighbor neighbors neighbour neighbours scientist scientists researcher
  researchers economist economists commentator commentators pundit pundits observer insider strategist
  strategists operative operatives adviser advisers advisor advisors negotiator negotiators agent agents
  doctor doctors expert official aide military intelligence`);

/** Heads that need no name to be a source and are never a person: "the poll", "a study", "the ad". */
export const DOCUMENT_HEADS = set(`poll polls survey surveys study studies report analysis research ad ads
  advertisement commercial video film documentary article story book memo letter statement document
  documents email emails tweet tweets post website release filing complaint lawsuit ruling decision verdict
  order data figures estimate estimates projection projections forecast model paper review audit
  investigation probe transcript record records footage recording photo photos message messages
  announcement bill law plan proposal platform speech interview editorial op-ed column campaign-ad`);

/** Group nouns named by a capitalised plural or collective: "Republicans", "police". */
export const GROUP_HEADS = set(`police democrats dems republicans conservatives liberals progressives libertarians
  evangelicals protesters troops rebels militants insurgents forces army military navy taliban`);

/** Words after a name that mark an apposition or role phrase starting ("X, a spokesman for Y"). */
export const APPOSITION_STARTERS = set('a an the his her their its one another former retired');

/**
 * Plural people nouns that are usually the topic of a claim, not a source of information ("voters",
 * "workers", "investors"): unnamed, but not anonymous sourcing unless the phrase says they were
 * sources ("workers who asked not to be named", "two people familiar with the plan").
 */
export const GENERIC_PLURALS = set(`voters voter workers investors consumers customers citizens taxpayers people
  persons individuals americans residents members employees supporters opponents developers users parents students
  fans viewers readers women men families farmers businesses companies governments countries democrats
  republicans conservatives liberals progressives millennials delegates candidates protesters protestors
  demonstrators activists lawmakers legislators patients shoppers drivers travelers travellers tourists owners`);

/** Words in a source phrase that make its unnamed people a source of information. */
export const SOURCE_QUALIFIER = /\b(familiar|close to|knowledge|knowledgeable|briefed|involved in|anonymity|not authori[sz]ed|asked not|declined to be|requested|on condition|speaking privately|privately|insider|who spoke)\b/i;
