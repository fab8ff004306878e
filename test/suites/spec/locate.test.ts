import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { formatPath, locate, pointerToPath, positionAt, sourceText } from '../../../suites/spec/locate.ts';
import type { PathPart, PathSegment } from '../../../suites/spec/locate.ts';

const text = [
  'id: ALI-VERSION', //                          line 1
  'checks:', //                                  line 2
  '  - name: a', //                              line 3
  '    world: &w {bucket: {owner: 1746}}', //    line 4
  '  - name: b', //                              line 5
  '    world: *w', //                            line 6
  '    key/with~: "404"', //                     line 7
].join('\n');

function where(path: PathSegment[], part?: PathPart) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const found = locate(doc, path, part);
  return { ...positionAt(lineCounter, found.offset), exact: found.exact, text: sourceText(found.node) };
}

describe('locate', () => {
  it('points at the value of a path, or at its key', () => {
    expect(where(['id'])).toEqual({ line: 1, column: 5, exact: true, text: 'ALI-VERSION' });
    expect(where(['id'], 'key')).toEqual({ line: 1, column: 1, exact: true, text: 'ALI-VERSION' });
    expect(where(['checks', 0, 'world', 'bucket', 'owner'])).toEqual({ line: 4, column: 32, exact: true, text: '1746' });
    expect(where(['checks', '1', 'name'], 'key')).toEqual({ line: 5, column: 5, exact: true, text: 'b' });
  });

  it('stops at the deepest node found when the path leaves the document', () => {
    expect(where(['checks', 0, 'requests', 0])).toEqual({ line: 3, column: 5, exact: false, text: undefined });
    expect(where(['checks', 7])).toEqual({ line: 3, column: 3, exact: false, text: undefined });
  });

  it('follows aliases to the anchored node', () => {
    expect(where(['checks', 1, 'world', 'bucket', 'owner'])).toEqual({ line: 4, column: 32, exact: true, text: '1746' });
  });

  it('shows quoted strings with their quotes, so that they are not taken for numbers', () => {
    expect(where(['checks', 1, 'key/with~'])).toEqual({ line: 7, column: 16, exact: true, text: '"404"' });
  });
});

describe('paths', () => {
  it('decodes JSON Pointers as ajv writes them', () => {
    expect(pointerToPath('')).toEqual([]);
    expect(pointerToPath('/checks/0/key~1with~0')).toEqual(['checks', '0', 'key/with~']);
  });

  it('writes paths for people', () => {
    expect(formatPath(['checks', 0, 'requests', '1', 'request', 'context', 'acs:SourceIp'])).toBe('checks[0].requests[1].request.context.acs:SourceIp');
  });
});
