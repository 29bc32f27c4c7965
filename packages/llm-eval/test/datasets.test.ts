import { describe, expect, it } from 'vitest';
import { FormatError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import {
  DatasetError,
  loadMcq,
  parseCsvRows,
  parseMcqJson,
  parseMcqJsonl,
  parseMmluCsv,
  parseOpenJsonl,
  renderMcq,
  resolveTemplate,
  ASTROMLAB1,
} from '../src/index.js';

describe('Astro-QA (real file, CC BY 4.0)', () => {
  it('names the one malformed record (876 has no option D) and skips it only when asked', async () => {
    await expect(loadMcq(dataPath('llm', 'astro-qa-en.json'))).rejects.toThrow('astro-qa-en.json: record 876: missing option D');
    const skipped: DatasetError[] = [];
    const items = await loadMcq(dataPath('llm', 'astro-qa-en.json'), { onInvalid: (e) => skipped.push(e) });
    expect(items).toHaveLength(1296);
    expect(skipped.map((e) => e.record)).toEqual(['876']);
  });

  it('loads the other 1296 four-option questions with letter answers normalised', async () => {
    const items = await loadMcq(dataPath('llm', 'astro-qa-en.json'), { onInvalid: () => {} });
    expect(items[0]).toMatchObject({ id: '1', question: '"Big Dipper" is ( )', answerIndex: 1 });
    expect(items[0]!.choices).toEqual([
      'A constellation',
      'A part of a constellation',
      'Consists of parts from several constellations.',
      'A star cluster formed by the aggregation of multiple stars.',
    ]);
    expect(items.every((it) => it.choices.length === 4 && it.answerIndex >= 0 && it.answerIndex < 4)).toBe(true);
    // answers are spread over the four letters
    const counts = [0, 0, 0, 0];
    for (const it of items) counts[it.answerIndex]!++;
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(new Set(items.map((i) => i.id)).size).toBe(1296);
  });

  it('slices with offset and limit', async () => {
    const items = await loadMcq(dataPath('llm', 'astro-qa-en.json'), { offset: 10, limit: 5, onInvalid: () => {} });
    expect(items.map((i) => i.id)).toEqual(['11', '12', '13', '14', '15']);
  });
});

describe('AstroMLab-1 style records and malformed input', () => {
  const good = { question: 'Which is hottest?', A: 'M dwarf', B: 'G dwarf', C: 'O star', D: 'K giant', answer: 'C', topic: 'Stellar' };

  it('parses AstroMLab-1 JSON with topics and trims answers like "B "', () => {
    const items = parseMcqJson(JSON.stringify([good, { ...good, id: 'q2', answer: 'B ' }]), 'amlab.json');
    expect(items[0]).toMatchObject({ id: '#1', answerIndex: 2, topic: 'Stellar' });
    expect(items[1]).toMatchObject({ id: 'q2', answerIndex: 1 });
  });

  it('names the record when an option is missing', () => {
    const bad = { ...good, id: 'q7', D: undefined };
    let err: unknown;
    try {
      parseMcqJson(JSON.stringify([good, bad]), 'amlab.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatasetError);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as DatasetError).record).toBe('q7');
    expect((err as Error).message).toBe('amlab.json: record q7: missing option D');
  });

  it('rejects an answer not among the options, empty questions, duplicate ids and non-JSON', () => {
    expect(() => parseMcqJson(JSON.stringify([{ ...good, answer: 'E' }]), 'f.json')).toThrow(
      'f.json: record #1: answer "E" is not among the options (A, B, C, D)',
    );
    expect(() => parseMcqJson(JSON.stringify([{ ...good, question: ' ' }]))).toThrow(/record #1: missing or empty question/);
    expect(() =>
      parseMcqJson(
        JSON.stringify([
          { ...good, id: 1 },
          { ...good, id: 1 },
        ]),
      ),
    ).toThrow(/record 1: duplicate id/);
    expect(() => parseMcqJson('[{"question": ')).toThrow(DatasetError);
    expect(() => parseMcqJson('{"x": 1}')).toThrow(/expected a JSON array/);
  });

  it('parses generic JSONL with choices arrays and index answers, naming bad lines', () => {
    const text = [
      JSON.stringify({ id: 'a', question: 'Q1', choices: ['x', 'y', 'z'], answer: 2 }),
      '',
      JSON.stringify({ id: 'b', question: 'Q2', options: ['p', 'q'], answer: 'p' }),
    ].join('\n');
    const items = parseMcqJsonl(text, 'g.jsonl');
    expect(items.map((i) => [i.id, i.answerIndex, i.choices.length])).toEqual([
      ['a', 2, 3],
      ['b', 0, 2],
    ]);
    expect(() => parseMcqJsonl('{"id": "a", "question": "Q", "choices": ["x"], "answer": 0}', 'g.jsonl')).toThrow(
      /record a: needs at least 2 options/,
    );
    expect(() => parseMcqJsonl('{"id":"z","question":"Q","choices":["x","y"],"answer":0}\n{oops', 'g.jsonl')).toThrow(
      /record line 2: is not valid JSON/,
    );
  });
});

describe('MMLU CSV', () => {
  it('parses quoted fields, letters and 0-based indices, with or without a header', () => {
    const csv = 'question,A,B,C,D,answer\n"What is a ""parsec""?",a unit,"a star, bright",a planet,a comet,A\nSecond?,1,2,3,4,3\r\n';
    const items = parseMmluCsv(csv, { topic: 'astronomy' });
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ question: 'What is a "parsec"?', answerIndex: 0, topic: 'astronomy' });
    expect(items[0]!.choices[1]).toBe('a star, bright');
    expect(items[1]!.answerIndex).toBe(3);
    expect(parseCsvRows('a,"b\nc",d\n')).toEqual([['a', 'b\nc', 'd']]);
  });

  it('names the row of a bad record', () => {
    expect(() => parseMmluCsv('Q,a,b,c,d,F\n', { source: 'astro_test.csv' })).toThrow(
      'astro_test.csv: record 1: answer "F" is not among the options (A, B, C, D)',
    );
    expect(() => parseMmluCsv('Q,a,b\n', { source: 'x.csv' })).toThrow(/record row 1: has 3 columns/);
    expect(() => parseCsvRows('"open', 'x.csv')).toThrow(/unterminated quoted field/);
  });
});

describe('open-response items', () => {
  it('parses reference answers and rubrics and names incomplete records', () => {
    const items = parseOpenJsonl(
      JSON.stringify({
        id: 'o1',
        question: 'Why is the sky dark at night?',
        reference: "Olbers' paradox: finite age",
        rubric: ['mentions finite age', 'mentions expansion'],
      }),
    );
    expect(items[0]!.rubric).toHaveLength(2);
    expect(() => parseOpenJsonl(JSON.stringify({ id: 'o2', question: 'Q', reference: 'R' }))).toThrow(/record o2: missing rubric/);
  });
});

describe('templates are data', () => {
  it('renders the AstroMLab-1 template and prefills the JSON answer key for probability scoring', async () => {
    const [item] = await loadMcq(dataPath('llm', 'astro-qa-en.json'), { limit: 1, onInvalid: () => {} });
    const p = renderMcq(ASTROMLAB1, item!, true);
    expect(p.system).toBe('You are an expert in general astrophysics. Your task is to answer the following question:');
    expect(p.user).toContain('"Big Dipper" is ( )\nA: A constellation\nB: A part of a constellation\n');
    expect(p.prefill).toBe('{"ANSWER": "');
    expect(renderMcq(ASTROMLAB1, item!, false).prefill).toBeUndefined();
    const custom = JSON.parse(JSON.stringify({ ...ASTROMLAB1, name: 'mine' }));
    expect(resolveTemplate(custom).name).toBe('mine');
    expect(() => resolveTemplate('nope')).toThrow(/unknown template "nope"/);
    expect(() => resolveTemplate({ ...ASTROMLAB1, user: 'no placeholder' })).toThrow(/no \{question\}/);
  });
});
