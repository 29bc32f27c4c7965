// A strict, small XML parser for the SVG that vega writes: it checks well-formedness (every
// tag closed in order, attributes quoted and unique, only known entities) and returns a tree
// that tests query for marks, axis titles and labels.

export interface SvgNode {
  name: string;
  attrs: Record<string, string>;
  children: SvgNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, where: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);|&/g, (m, ent: string | undefined) => {
    if (ent === undefined) throw new Error(`bare '&' near offset ${where}`);
    if (ent.startsWith('#x')) return String.fromCodePoint(parseInt(ent.slice(2), 16));
    if (ent.startsWith('#')) return String.fromCodePoint(parseInt(ent.slice(1), 10));
    const v = ENTITIES[ent];
    if (v === undefined) throw new Error(`unknown entity ${m} near offset ${where}`);
    return v;
  });
}

/** Parse an SVG document; throws with an offset when it is not well-formed XML. */
export function parseSvg(src: string): SvgNode {
  let i = 0;
  const root: SvgNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: SvgNode[] = [root];
  const nameRe = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
  const readName = (): string => {
    nameRe.lastIndex = i;
    const m = nameRe.exec(src);
    if (!m) throw new Error(`expected a name at offset ${i}`);
    i += m[0].length;
    return m[0];
  };
  const skipWs = (): void => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  while (i < src.length) {
    const top = stack[stack.length - 1]!;
    if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i);
      if (end < 0) throw new Error('unterminated processing instruction');
      i = end + 2;
    } else if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
    } else if (src.startsWith('</', i)) {
      i += 2;
      const name = readName();
      skipWs();
      if (src[i] !== '>') throw new Error(`expected '>' at offset ${i}`);
      i++;
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}> at offset ${i}`);
      stack.pop();
    } else if (src[i] === '<') {
      i++;
      const node: SvgNode = { name: readName(), attrs: {}, children: [], text: '' };
      for (;;) {
        skipWs();
        if (src.startsWith('/>', i)) {
          i += 2;
          top.children.push(node);
          break;
        }
        if (src[i] === '>') {
          i++;
          top.children.push(node);
          stack.push(node);
          break;
        }
        const attr = readName();
        skipWs();
        if (src[i] !== '=') throw new Error(`attribute ${attr} without value at offset ${i}`);
        i++;
        skipWs();
        const q = src[i];
        if (q !== '"' && q !== "'") throw new Error(`unquoted attribute ${attr} at offset ${i}`);
        const end = src.indexOf(q, i + 1);
        if (end < 0) throw new Error(`unterminated attribute ${attr}`);
        const raw = src.slice(i + 1, end);
        if (raw.includes('<')) throw new Error(`'<' in attribute ${attr} at offset ${i}`);
        if (attr in node.attrs) throw new Error(`duplicate attribute ${attr} on <${node.name}>`);
        node.attrs[attr] = decode(raw, i);
        i = end + 1;
      }
    } else {
      const end = src.indexOf('<', i);
      const raw = src.slice(i, end < 0 ? src.length : end);
      if (stack.length === 1 && raw.trim() !== '') throw new Error(`text outside the root element at offset ${i}`);
      top.text += decode(raw, i);
      i = end < 0 ? src.length : end;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  const elems = root.children;
  if (elems.length !== 1 || elems[0]!.name !== 'svg') throw new Error('document must have exactly one <svg> root');
  return elems[0]!;
}

/** Every node below `node` (depth first) that satisfies `pred`. */
export function findAll(node: SvgNode, pred: (n: SvgNode) => boolean): SvgNode[] {
  const out: SvgNode[] = [];
  const walk = (n: SvgNode): void => {
    if (pred(n)) out.push(n);
    n.children.forEach(walk);
  };
  walk(node);
  return out;
}

/** Does the `class` attribute contain `cls`? */
export const hasClass = (n: SvgNode, cls: string): boolean => (n.attrs['class'] ?? '').split(/\s+/).includes(cls);

/** Children items of the mark groups with class `mark-<type>` and `role-mark` (one per datum). */
export function markItems(svg: SvgNode, type: string): SvgNode[] {
  return findAll(svg, (n) => hasClass(n, `mark-${type}`) && hasClass(n, 'role-mark')).flatMap((g) => g.children);
}

/** Texts of the axis titles, in document order. */
export function axisTitles(svg: SvgNode): string[] {
  return findAll(svg, (n) => hasClass(n, 'role-axis-title')).flatMap((g) => g.children.map((t) => t.text));
}

/** The aria-labels of axes, e.g. "X-axis titled 'z' for a linear scale with values from 0.0 to 0.6". */
export function axisLabels(svg: SvgNode): string[] {
  return findAll(svg, (n) => n.attrs['aria-roledescription'] === 'axis').map((n) => n.attrs['aria-label'] ?? '');
}
