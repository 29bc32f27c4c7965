import winkNLP, { type ItemToken } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

type Nlp = ReturnType<typeof winkNLP>;
let nlp: Nlp | undefined;

/** wink-nlp with its English lite model, loaded on first use (about a second). */
function getNlp(): Nlp {
  nlp ??= winkNLP(model, ['pos']);
  return nlp;
}

/** Part-of-speech tags Pathfinder keeps as query keywords. */
export const KEYWORD_POS: readonly string[] = ['PROPN', 'NOUN', 'ADJ'];

/**
 * Pathfinder's query keywords: the lower-cased query is tagged and the nouns, proper nouns and
 * adjectives that are neither stop words nor punctuation are kept, in order (duplicates kept,
 * as Pathfinder does). Pathfinder tags with spaCy's `en_core_web_sm`; this uses wink-nlp's
 * `wink-eng-lite-web-model` (offline, browser-safe), so tags and stop words differ slightly.
 */
export function queryKeywords(query: string): string[] {
  const n = getNlp();
  const its = n.its;
  const doc = n.readDoc(query.toLowerCase());
  const out: string[] = [];
  doc.tokens().each((t: ItemToken) => {
    if (t.out(its.type) !== 'word') return;
    if (t.out(its.stopWordFlag)) return;
    if (!KEYWORD_POS.includes(t.out(its.pos) as string)) return;
    out.push(t.out() as string);
  });
  return out;
}
