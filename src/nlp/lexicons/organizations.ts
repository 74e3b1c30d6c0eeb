/**
 * News outlets, wire services, government bodies and organisation head words; written by hand for the
 * speakers stage. Keys are lowercase.
 */
const set = (s: string) => new Set(s.split(/\n|,/).map((w) => w.trim().toLowerCase()).filter(Boolean));

/** Names of news outlets and wire services, as they appear after "the" is dropped. */
export const OUTLETS = set(`
reuters, associated press, ap, afp, agence france-presse, agence france presse, dpa, ansa, efe, kyodo, yonhap,
xinhua, tass, itar-tass, ria novosti, ria, interfax, sputnik, rt, anadolu, anadolu agency, irna, fars, tasnim,
isna, mehr, wam, spa, kuna, mena, bernama, antara, pti, ians, upi, bloomberg, bloomberg news, dow jones,
cnn, bbc, bbc news, fox news, fox, msnbc, nbc, nbc news, abc, abc news, cbs, cbs news, pbs, npr, cnbc,
al jazeera, al arabiya, sky news, itv, channel 4, euronews, france 24, deutsche welle, dw, voice of america,
voa, radio free europe, rfe/rl, radio liberty, c-span, univision, telemundo, cbc, ctv, nhk, cctv, cgtn, kbs,
new york times, the new york times, times, washington post, post, wall street journal, journal, usa today,
los angeles times, la times, chicago tribune, boston globe, new york post, daily news, new york daily news,
miami herald, houston chronicle, dallas morning news, san francisco chronicle, philadelphia inquirer,
guardian, observer, independent, telegraph, daily telegraph, financial times, ft, economist, times of london,
daily mail, mail on sunday, sun, mirror, daily mirror, evening standard, le monde, le figaro, liberation,
der spiegel, spiegel, die zeit, bild, frankfurter allgemeine, faz, süddeutsche zeitung, el país, el pais,
el mundo, la repubblica, corriere della sera, haaretz, jerusalem post, times of israel, yedioth ahronoth,
kommersant, izvestia, vedomosti, novaya gazeta, rossiyskaya gazeta, komsomolskaya pravda, pravda,
south china morning post, global times, people's daily, china daily, asahi shimbun, yomiuri shimbun,
mainichi, nikkei, the hindu, times of india, hindustan times, dawn, gulf news, al-ahram, ahram,
politico, politifact, the hill, axios, vox, slate, salon, huffington post, huffpost, buzzfeed, buzzfeed news,
breitbart, breitbart news, daily caller, daily beast, national review, the atlantic, atlantic, new yorker,
newsweek, time, time magazine, the nation, mother jones, fivethirtyeight, real clear politics, realclearpolitics,
drudge report, infowars, the intercept, intercept, propublica, vice, vice news, talking points memo,
washington examiner, washington times, weekly standard, new republic, rolling stone, forbes, fortune,
business insider, insider, cnet, wired, techcrunch, the verge, verge, fox business, one america news, oann,
newsmax, twitter, facebook, youtube, instagram, daily kos, mediaite, the blaze, blaze, factcheck.org, snopes,
yahoo news, yahoo, msn, google news, abc7, wsj, nyt, ap news, reuters news agency
`);

/** Head words that make a capitalised run a media outlet: "the Moscow Times", "Channel One television". */
export const MEDIA_HEADS = set(`times, post, journal, tribune, herald, gazette, daily, news, newspaper, paper,
chronicle, telegraph, guardian, observer, independent, examiner, inquirer, courier, mail, star, sun, globe,
standard, express, mirror, review, magazine, weekly, monitor, register, dispatch, bulletin, record, press,
television, tv, radio, channel, network, broadcaster, broadcasting, agency, wire, newswire, gazeta, zeitung,
shimbun, izvestia, pravda, website, blog, podcast, outlet, tabloid`);

/** Nominal heads that refer back to a media outlet: "the broadcaster", "the daily". */
export const MEDIA_NOMINALS = set(`broadcaster, daily, newspaper, paper, agency, news agency, network, channel,
station, outlet, magazine, weekly, tabloid, website, site, publication, wire service, television, radio, broadsheet`);

/** Head words that make a capitalised run an organisation. */
export const ORG_HEADS = set(`ministry, department, agency, office, bureau, service, services, commission, committee,
council, court, tribunal, party, union, federation, association, organization, organisation, institute,
institution, foundation, fund, center, centre, bank, corporation, corp, corp., inc, inc., ltd, ltd., llc, plc,
company, co., group, holdings, university, college, school, academy, administration, authority, board,
congress, senate, house, parliament, assembly, duma, knesset, cabinet, government, kremlin, pentagon,
army, navy, forces, force, guard, police, command, coalition, alliance, movement, front, league, club,
society, network, campaign, church, mission, secretariat, directorate, chamber, caucus, conference,
federal reserve, fed, white house, state department, justice department, treasury, senate, commission,
airlines, airways, motors, group, partners, capital, industries, technologies, systems, energy, oil, gas,
pharmaceuticals, hospital, clinic, prison, airport, port, embassy, consulate, mission, municipality, city council`);

/** Well-known government bodies and organisations that carry no head word. */
export const KNOWN_ORGS = set(`fbi, cia, nsa, dhs, doj, epa, irs, sec, fda, cdc, nasa, pentagon, kremlin, white house,
congress, senate, nato, un, united nations, eu, european union, european commission, imf, world bank, who, wto,
opec, iaea, unicef, unhcr, oecd, g7, g20, asean, african union, arab league, interpol, europol, fsb, gru, svr,
mi5, mi6, mossad, shin bet, hamas, hezbollah, fatah, isis, isil, islamic state, al qaeda, al-qaeda, taliban,
naacp, aclu, nra, rnc, dnc, gop, cbo, gao, ofac, fema, ice, atf, dea, usda, hud, osce, icc, icj, ecb, bundestag,
bundesbank, elysee, downing street, whitehall, politburo, supreme court, the supreme court, scotus, apple,
google, microsoft, amazon, facebook, twitter, exxon, exxonmobil, gazprom, rosneft, boeing, airbus, toyota,
volkswagen, wells fargo, goldman sachs, jpmorgan, citigroup, citi, trump foundation, clinton foundation,
tax policy center, tax foundation, brookings, heritage foundation, cato, pew, gallup, quinnipiac, rasmussen`);

/** Countries and a few capitals and regions that speak as states ("Russia said", "Beijing warned"). */
export const PLACES = set(`afghanistan, albania, algeria, argentina, armenia, australia, austria, azerbaijan,
bahrain, bangladesh, belarus, belgium, bolivia, bosnia, brazil, britain, bulgaria, cambodia, canada, chile, china,
colombia, croatia, cuba, cyprus, czech republic, denmark, egypt, england, estonia, ethiopia, europe, finland,
france, georgia, germany, ghana, greece, hungary, india, indonesia, iran, iraq, ireland, israel, italy, japan,
jordan, kazakhstan, kenya, kosovo, kuwait, kyrgyzstan, latvia, lebanon, libya, lithuania, malaysia, mexico,
moldova, mongolia, montenegro, morocco, myanmar, nepal, netherlands, new zealand, nigeria, north korea,
norway, oman, pakistan, palestine, peru, philippines, poland, portugal, qatar, romania, russia, saudi arabia,
scotland, serbia, singapore, slovakia, slovenia, somalia, south africa, south korea, spain, sri lanka, sudan,
sweden, switzerland, syria, taiwan, tajikistan, tanzania, thailand, tunisia, turkey, turkmenistan, uganda,
ukraine, united arab emirates, uae, united kingdom, uk, u.k., united states, us, u.s., usa, america, uzbekistan,
venezuela, vietnam, wales, yemen, zimbabwe, moscow, beijing, washington, london, paris, berlin, tokyo, kiev, kyiv,
tehran, damascus, ankara, brussels, jerusalem, tel aviv, baghdad, cairo, riyadh, pyongyang, seoul, delhi, new delhi,
islamabad, kabul, minsk, tbilisi, baku, yerevan, warsaw, rome, madrid, ottawa, canberra, havana, caracas, crimea,
donbas, donetsk, luhansk, gaza, west bank, new york, california, texas, florida, ohio, pennsylvania,
michigan, virginia, iowa, chicago, los angeles, north carolina, arizona, nevada, wisconsin, colorado`);

/** Demonym and party words that, capitalised and plural, name a group: "Republicans", "Democrats". */
export const GROUP_NAMES = set(`republicans, democrats, dems, conservatives, liberals, tories, labour, libertarians,
americans, russians, ukrainians, britons, germans, french, chinese, iranians, israelis, palestinians, syrians,
iraqis, afghans, europeans, muslims, christians, jews, catholics, evangelicals, kurds, turks, saudis,
african-americans, african americans, latinos, hispanics, millennials, independents, progressives, the taliban`);
