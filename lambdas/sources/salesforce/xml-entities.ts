import type { EntityDecoderOptions } from 'fast-xml-parser';

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g;

/** Whether a code point is a character XML 1.0 allows. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Decodes exactly what XML 1.0 defines without a DTD: the five predefined entities and numeric character
 * references, in one pass (so `&amp;#60;` stays the text `&#60;`). Entities a DTD would declare are never
 * expanded — `addInputEntities` and `setExternalEntities` ignore what they are given — which is what keeps
 * entity expansion and external entities (XXE) out of the Salesforce route, on top of refusing DTDs outright.
 */
export function xmlEntityDecoder(): EntityDecoderOptions {
  return {
    setExternalEntities: () => undefined,
    addInputEntities: () => undefined,
    reset: () => undefined,
    setXmlVersion: () => undefined,
    decode: (text) =>
      text.replace(REFERENCE, (whole, name: string) => {
        if (!name.startsWith('#')) return PREDEFINED[name] ?? whole;
        const code = name.startsWith('#x')
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
        return isXmlChar(code) ? String.fromCodePoint(code) : whole;
      }),
  };
}
