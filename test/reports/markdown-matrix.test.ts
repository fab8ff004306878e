import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderMatrixMarkdown } from '../../reports/markdown.ts';
import { FAIL, FAIL_REPLAY, fixtureMatrix, PASS, SKIP, STATEFUL, UNEXPECTED_PASS } from './fixtures.ts';

/** The `summary.md` of a matrix: counts per target, a table of rules by targets per vendor, the failures. */

const matrix = fixtureMatrix();
const md = renderMatrixMarkdown(matrix);

function row(id: string): string[] {
  const line = md.split('\n').find((l) => l.startsWith(`| \`${id}\``));
  if (!line) throw new Error(`no row for ${id}`);
  return line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
}

describe('renderMatrixMarkdown', () => {
  it('is what renderMarkdown gives for a matrix', () => {
    expect(renderMarkdown(matrix)).toBe(md);
    expect(md.endsWith('\n')).toBe(true);
    expect(md.endsWith('\n\n')).toBe(false);
  });

  it('names the targets and counts each one\'s verdicts', () => {
    expect(md.startsWith('# Bucket conformance matrix: `./my-adapter.ts`, `reference`\n')).toBe(true);
    expect(md).toContain('| `./my-adapter.ts` | 2 | 4 | 1 | 1 | 1 | 1 | 1 | 186 | 1234 |');
    expect(md).toContain('| `reference` | 9 | 0 | 0 | 0 | 0 | 0 | 0 |');
  });

  it('has a row per rule with a cell per target, a dash where the target did not run it', () => {
    expect(md).toContain('| Rule | Status | `./my-adapter.ts` | `reference` |');
    expect(row(FAIL.id).slice(1)).toEqual(['doc', '❌', '✅']);
    expect(row(PASS.id).slice(1)).toEqual(['doc', '✅', '✅']);
    expect(row(SKIP.id).slice(1)).toEqual(['**ambiguous**', '⏭️', '✅']);
    expect(row(UNEXPECTED_PASS.id).slice(1)).toEqual(['doc', '⚠️', '✅']);
    expect(row(STATEFUL.id).slice(1)).toEqual(['doc', '❌', '—']);
  });

  it('lists the failures and unexpected passes of each target with their replay commands', () => {
    const failures = md.slice(md.indexOf('\n## Failures\n'));
    expect(failures).toContain(`- \`./my-adapter.ts\` \`${FAIL.id}\` (alibaba-oss, doc): ❌ fail: ${FAIL.message} — replay: \`${FAIL_REPLAY}\``);
    expect(failures).toContain(`\`${UNEXPECTED_PASS.id}\` (alibaba-oss, doc): ⚠️ unexpected pass: listed as a known failure`);
    expect(failures).not.toContain('`reference`');
    expect(md).toContain('## Errors\n\n- `./my-adapter.ts`: suites/x.conformance.ts: cannot load `x` & <y>');
  });
});
