import { XMLParser } from 'fast-xml-parser';

/**
 * Rewrites one run of repeated child elements of a metadata file's root (the permission set's
 * `<fieldPermissions>`, a report type section's `<columns>`) and keeps every other byte as written.
 * The parser (fast-xml-parser, order-preserving) says which elements the root holds and in what order;
 * the text is then cut at the run's first opening and last closing tag. A run interrupted by another
 * element is refused: rewriting it would reorder what a person wrote.
 */

const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: true, parseTagValue: false });

type OrderedNode = Record<string, unknown>;
const tagOf = (node: OrderedNode): string => Object.keys(node).find((k) => k !== ':@') ?? '';

/** Tag names of the root element's children, in document order. */
export function childTags(xml: string): string[] {
  const doc = ordered.parse(xml) as OrderedNode[];
  const root = doc.find((n) => !tagOf(n).startsWith('?'));
  if (!root) return [];
  return ((root[tagOf(root)] as OrderedNode[]) ?? []).map(tagOf).filter((t) => t !== '#text');
}

/**
 * Replaces the contiguous run of `<tag>` children of the root with `block` (whole lines, each ending
 * in '\n'). With no such child, the block goes before the first child whose tag sorts after `tag` (the
 * Metadata API writes a type's elements in alphabetical order), or before the root's closing tag.
 */
export function replaceRun(xml: string, tag: string, block: string, file: string): string {
  const tags = childTags(xml);
  const first = tags.indexOf(tag);
  if (first >= 0) {
    const last = tags.lastIndexOf(tag);
    if (tags.slice(first, last + 1).some((t) => t !== tag))
      throw new Error(`${file}: the <${tag}> elements are not together; put them in one run`);
    const start = lineStart(xml, xml.indexOf(`<${tag}>`));
    const closing = `</${tag}>`;
    const end = xml.indexOf('\n', xml.lastIndexOf(closing)) + 1;
    return xml.slice(0, start) + block + xml.slice(end);
  }
  const next = tags.find((t) => t > tag);
  const at = next ? xml.indexOf(`<${next}>`) : xml.lastIndexOf('</');
  const start = lineStart(xml, at);
  return xml.slice(0, start) + block + xml.slice(start);
}

function lineStart(xml: string, index: number): number {
  return xml.lastIndexOf('\n', index) + 1;
}
