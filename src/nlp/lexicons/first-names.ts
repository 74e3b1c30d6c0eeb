/**
 * Common given names with their usual gender, of many origins (English, Spanish, French, German,
 * Italian, Slavic, Arabic, Turkish, Persian, Indian, Chinese, Japanese, Korean, African). Written by
 * hand for the speakers stage: the gender of a name only breaks ties between antecedents.
 */

const MALE = `
aaron abdul abdullah abdel abel abraham adam adrian ahmad ahmed ahmet akira alan albert alberto alejandro
alex alexander alexandre alexei alexey alfred ali alistair amir anders andre andrea_m andreas andrei andrew
andrey andy angelo anthony antoine anton antonio arjun arnold arthur ashraf augusto barack barry ben benjamin
bernard bernie bill billy bob bobby boris brad bradley brandon brendan brett brian bruce bruno bryan carl
carlos cesar charles charlie chris christian christopher chuck clarence claude colin conor craig cory dale
dan daniel danny darren dave david dean dennis derek diego dmitri dmitry dominic don donald doug douglas
duncan dwight ed eddie edgar eduardo edward elijah elon emmanuel enrique eric erik ernest esteban ethan
eugene evan fabio faisal farid felipe felix fernando francesco francisco frank franz fred frederick gabriel
gareth gary gavin geoffrey george gerald gerhard giorgio giuseppe glenn gordon graham greg gregory guillaume
gustavo hamid hans harold harry hassan heinz helmut henry herbert hiroshi hossein howard hugh hugo hussein
ian ibrahim igor imran ivan jack jacob jacques jaime jake james jamie jan jared jason javier jean jeb jeff
jeffrey jeremy jerome jerry jesse jim jimmy joe joel johann john johnny jon jonathan jorge jose joseph josh
joshua juan julian justin kamal karl keith ken kenneth kevin khalid kim_m kirk klaus kofi konstantin kurt
kyle lance larry lars laurent lee_m leo leon leonard lindsey_m lionel lloyd lorenzo louis luca lucas luis luke
magnus mahmoud manuel marc marco marcus mario mark martin marco matt matteo matthew maurice max maxim
michael michel miguel mike mikhail mitch mitt mohamed mohammad mohammed muhammad murat mustafa nabil narendra
nasser nathan neil nelson nicholas nick nicolas nigel nikolai noah norman nuri oleg oliver omar oscar
osama otto owen pablo paolo pat_m patrick paul pedro peter petr philip philippe pierre piotr rafael rahul
rajesh ralph ramon randy raul ray raymond recep reince reza ricardo richard rick robert roberto rod rodrigo
roger roland ron ronald rudy rupert russell ryan said salman sam samuel sanjay scott sean sebastian sergei
sergey sergio shinzo simon stanislav stefan stephen steve steven stuart sultan sven takeshi ted terry thomas
tim timothy todd tom tommy tony travis tyler umar valery vasily victor viktor vincent vladimir vladislav
walter warren wayne wei_m werner wilbur william willie wolfgang xavier yasser yevgeny yosef youssef yuri yury
yusuf zachary zhang_m abe jay mick hank newt marco mitch rand ted jeb reince ben mike chris bernie kellyanne_f
corey rudy chuck harry paul lindsey_m rex jared steve sean stephen reed orrin tim joaquin julian kevin
rahm bashar vladimir xi kim_m jong-un hassan benjamin bibi recep emmanuel francois angela_f theresa_f
jens mahmoud abdel abu haider nouri moqtada
`;

const FEMALE = `
abigail ada adriana agnes aisha alexandra alice alicia alina alison amanda amber amelia amy ana anastasia
andrea angela angelina anita ann anna anne annette antonia april ariana ashley audrey barbara beatrice
becky belinda betsy betty beverly brenda bridget brittany camila candice carla carmen carol caroline
carolyn catherine cecilia charlotte chelsea cheryl chloe christina christine cindy claire clara claudia
colleen connie cristina cynthia daisy dana daniela danielle deborah debbie denise diana diane dolores
donna doris dorothy edith elaine eleanor elena elisabeth elizabeth ella ellen elsa emily emma erica erin
esther eva evelyn fatima fiona frances francesca gabriela gail gina gloria grace hannah harriet heather
heidi helen helena hillary holly ilhan ingrid irene iris isabel isabella jackie jacqueline jane janet
janice jasmine jean_f jeanne jennifer jenny jessica jill jo joan joanna jodi josephine joy joyce judith judy
julia julie june karen katarina kate katherine kathleen kathryn kathy katie kay kayleigh kelly kellyanne
kim_f kimberly kirsten kristen laura lauren leah leila lena linda lisa liz loretta lori louise lucia lucy
lydia lynn madeleine madonna maggie malia manuela margaret margarita maria marianne marie marina marion
marsha martha mary maureen megan melania melanie melissa meryl mia michelle mildred miriam molly monica
nadia nancy naomi natalia natalie natasha nicola nicole nikki nina nora olga olivia pamela patricia paula
pauline peggy penny phyllis priya rachel rebecca regina renee rita roberta rosa rose rosemary ruth sabrina
sally samantha sandra sara sarah sasha_f shannon sharon sheila shirley silvia simone sofia sonia sophia
sophie stacey stephanie susan susanne suzanne svetlana sylvia tamara tammy tanya teresa theresa tiffany tina
tracy ursula valentina valerie vanessa vera veronica victoria virginia wanda wendy yolanda yulia zainab zoe
nataliya yekaterina ekaterina irina tatiana tatyana lyudmila marine nicola_f ségolène hillary huma donna
chelsea michelle elizabeth nancy loretta kamala condoleezza madeleine samantha nikki sarah kirstjen hope
ivanka melania stormy gennifer juanita kathleen paula debbie tammy gretchen megyn katy jeanine
`;

export type Gender = 'm' | 'f';

function build(): Map<string, Gender> {
  const m = new Map<string, Gender>();
  const add = (list: string, g: Gender) => {
    for (let w of list.split(/\s+/)) {
      if (!w) continue;
      let gender = g;
      const us = w.indexOf('_');
      if (us >= 0) {
        gender = w.slice(us + 1) === 'f' ? 'f' : 'm';
        w = w.slice(0, us);
      }
      if (!m.has(w)) m.set(w, gender);
    }
  };
  add(FEMALE, 'f');
  add(MALE, 'm');
  return m;
}

/** Lowercased given name → gender. */
export const FIRST_NAMES: ReadonlyMap<string, Gender> = build();

/**
 * Transliteration and spelling variants of given names, each mapped to one key. Used only to merge
 * two mentions of one person in the same article.
 */
const VARIANT_GROUPS = [
  'alexander aleksandr aleksander alexandr alexandre alessandro alejandro',
  'alexei alexey aleksei aleksey',
  'muhammad mohammed mohammad mohamed muhammed mohamad mohamud mehmet',
  'yuri yury yuriy iouri',
  'sergei sergey serguei sergiy serhiy',
  'dmitri dmitry dmitriy',
  'andrei andrey andriy',
  'nikolai nikolay mykola',
  'mikhail michail',
  'yevgeny evgeny yevgeniy evgeni',
  'vasily vasiliy vassily',
  'valery valeri valeriy',
  'yulia yuliya julia',
  'tatiana tatyana',
  'natalia natalya nataliya',
  'ekaterina yekaterina',
  'olexander oleksandr',
  'volodymyr vladimir',
  'ahmed ahmad',
  'husain hussein husayn hussain',
  'hassan hasan',
  'osama usama',
  'omar umar',
  'youssef yusuf yousef youssif',
  'abdullah abdallah',
  'khalid khaled',
  'mahmoud mahmud',
  'moammar muammar',
  'gadhafi gaddafi qaddafi qadhafi kadhafi',
  'zelensky zelenskyy zelenskiy',
  'kyiv kiev',
  'viktor victor',
  'maksim maxim',
  'vitaly vitaliy vitali',
  'anatoly anatoliy anatoli',
  'grigory grigoriy grigori',
  'pyotr petr',
  'aleksandra alexandra',
  'ksenia kseniya xenia',
  'evgenia yevgenia',
];

function buildVariants(): Map<string, string> {
  const m = new Map<string, string>();
  for (const g of VARIANT_GROUPS) {
    const ws = g.split(' ');
    for (const w of ws) m.set(w, ws[0]);
  }
  return m;
}

export const NAME_VARIANTS: ReadonlyMap<string, string> = buildVariants();
