/**
 * A small, strict XML parser for the Atom feed tests: elements, attributes, text, the five
 * predefined entities and character references. It throws on anything not well-formed
 * (unclosed or mismatched tags, a raw "<" or "&" in text, an unknown entity, duplicate
 * attributes, trailing content), which is the point: a feed reader would refuse it too.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decode(s: string, at: number): string {
  if (/<|&(?!(?:lt|gt|amp|quot|apos|#\d+|#x[0-9A-Fa-f]+);)/.test(s)) throw new Error(`bad character data near offset ${at}: ${JSON.stringify(s.slice(0, 40))}`);
  return s.replace(/&(#x[0-9A-Fa-f]+|#\d+|\w+);/g, (_, e: string) =>
    e.startsWith("#x") ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e],
  );
}

export function parseXml(source: string): XmlElement {
  let i = 0;
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(source.slice(i))![0];
      i += ws.length;
      if (source.startsWith("<?", i)) i = skipPast("?>");
      else if (source.startsWith("<!--", i)) i = skipPast("-->");
      else return;
    }
  };
  const skipPast = (end: string) => {
    const at = source.indexOf(end, i);
    if (at < 0) throw new Error(`unterminated markup at offset ${i}`);
    return at + end.length;
  };
  const element = (): XmlElement => {
    if (source[i] !== "<") throw new Error(`expected an element at offset ${i}`);
    i++;
    const name = NAME.exec(source.slice(i))?.[0];
    if (!name) throw new Error(`expected an element name at offset ${i}`);
    i += name.length;
    const el: XmlElement = { name, attrs: {}, children: [], text: "" };
    for (;;) {
      const ws = /^\s*/.exec(source.slice(i))![0];
      i += ws.length;
      if (source.startsWith("/>", i)) {
        i += 2;
        return el;
      }
      if (source[i] === ">") {
        i++;
        break;
      }
      const attr = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(source.slice(i));
      if (!attr || !ws) throw new Error(`bad attribute in <${name}> at offset ${i}`);
      if (attr[1] in el.attrs) throw new Error(`duplicate attribute ${attr[1]} in <${name}>`);
      el.attrs[attr[1]] = decode(attr[3] ?? attr[4], i);
      i += attr[0].length;
    }
    for (;;) {
      const next = source.indexOf("<", i);
      if (next < 0) throw new Error(`<${name}> is never closed`);
      el.text += decode(source.slice(i, next), i);
      i = next;
      if (source.startsWith("<!--", i)) {
        i = skipPast("-->");
        continue;
      }
      if (source.startsWith("</", i)) {
        const close = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(source.slice(i));
        if (!close || close[1] !== name) throw new Error(`</${close?.[1]}> closes <${name}> at offset ${i}`);
        i += close[0].length;
        return el;
      }
      el.children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== source.length) throw new Error(`content after the root element at offset ${i}`);
  return root;
}

export const child = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => c.name === name);
export const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);
