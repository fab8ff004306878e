import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';

/** One step of a path into a YAML document: a map key or a list index. */
export type PathSegment = string | number;

/** What to point at when a path ends on a map entry: its key (unknown fields) or its value (bad values). */
export type PathPart = 'key' | 'value';

/** Where a path leads in a document: the offset to report, the node there, and whether the whole path was found. */
export interface Located {
  offset: number;
  node: Node | undefined;
  /** False when the path leaves the document early (a missing field); `offset` is then the deepest node found. */
  exact: boolean;
}

/** The path segments of a JSON Pointer such as ajv's `instancePath` (`/checks/0/params` gives `checks`, `0`, `params`). */
export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** A path written for people: `checks[0].world.bucket.owner`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

function startOf(node: unknown): number | undefined {
  const range = (node as { range?: readonly number[] | null } | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/**
 * Follows `path` from the document's root and returns where it leads: the key or the value of the
 * last map entry, or the list item. Aliases are followed, so a value reached through `*anchor` is
 * reported where the anchored node is written.
 */
export function locate(doc: Document, path: readonly PathSegment[], part: PathPart = 'value'): Located {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let keyOffset: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
      if (pair) {
        next = pair.value;
        keyOffset = startOf(pair.key);
      }
    } else if (isSeq(node)) {
      const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
      next = index >= 0 ? node.items[index] : undefined;
    }
    const last = i === path.length - 1;
    if (last && part === 'key' && keyOffset !== undefined) return { offset: keyOffset, node: next as Node | undefined, exact: true };
    const nextOffset = startOf(next) ?? keyOffset;
    if (nextOffset === undefined) return { offset, node: node as Node | undefined, exact: false };
    node = next;
    offset = nextOffset;
  }
  return { offset, node: (isAlias(node) ? node.resolve(doc) : node) as Node | undefined, exact: true };
}

/** The 1-based line and column of an offset. */
export function positionAt(lineCounter: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lineCounter.linePos(offset);
  return { line: Math.max(line, 1), column: Math.max(col, 1) };
}

/**
 * How a node is written, for messages: a scalar's source text (`174649585760`, `ALLOW`), or
 * undefined for maps, lists and absent nodes, whose text is too long to quote.
 */
export function sourceText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  // A quoted string shows its quotes, so that `"404"` is not mistaken for a number.
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  const text = typeof node.value === 'string' ? (quoted ? JSON.stringify(node.value) : node.value) : (node.source ?? String(node.value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
