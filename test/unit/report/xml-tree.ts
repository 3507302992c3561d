/**
 * A tiny, strict XML reader for tests: elements, double-quoted attributes,
 * text and the five entities plus numeric references. Enough to parse our
 * own JUnit back and prove it is well-formed, without an XML dependency.
 */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const decode = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e]!;
  });

export function parseXml(xml: string): XmlNode {
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`XML: ${msg} at ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  const ws = () => {
    while (/\s/.test(xml[i] ?? '')) i++;
  };
  const element = (): XmlNode => {
    if (xml[i] !== '<') fail('expected <');
    i++;
    const name = /^[A-Za-z_][\w.-]*/.exec(xml.slice(i))?.[0] ?? fail('bad name');
    i += name.length;
    const node: XmlNode = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      ws();
      if (xml.startsWith('/>', i)) return (i += 2), node;
      if (xml[i] === '>') break;
      const m = /^([A-Za-z_][\w.:-]*)="([^"<]*)"/.exec(xml.slice(i)) ?? fail('bad attribute');
      if (m[1]! in node.attrs) fail(`duplicate attribute ${m[1]}`);
      node.attrs[m[1]!] = decode(m[2]!);
      i += m[0].length;
    }
    i++;
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) fail('unclosed element');
      const text = xml.slice(i, lt);
      if (/&(?!(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);)/i.test(text)) fail('bare &');
      node.text += decode(text);
      i = lt;
      if (xml.startsWith('</', i)) {
        const close = `</${name}>`;
        if (!xml.startsWith(close, i)) fail(`expected ${close}`);
        i += close.length;
        return node;
      }
      node.children.push(element());
    }
  };
  ws();
  const root = element();
  ws();
  if (i !== xml.length) fail('trailing content');
  return root;
}
