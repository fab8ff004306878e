import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeMatrix, writeReports } from '../../reports/index.ts';
import { renderHtml } from '../../reports/html.ts';
import { renderJson } from '../../reports/json.ts';
import { renderJunit } from '../../reports/junit.ts';
import { renderMarkdown } from '../../reports/markdown.ts';
import { tempDir } from '../cli/cli.ts';
import { allKindsReport, fixtureMatrix } from './fixtures.ts';

/** writeReports and writeMatrix: the four files, each the renderer's text, in a folder they create. */

const tmp = tempDir('write-reports');
afterAll(() => tmp.remove());

describe('writeReports', () => {
  it('writes report.json, junit.xml, summary.md and report.html of a run into a new folder', () => {
    const report = allKindsReport();
    const out = join(tmp.dir, 'run', 'nested');
    const files = writeReports(out, report);
    expect(files).toEqual({ json: join(out, 'report.json'), junit: join(out, 'junit.xml'), markdown: join(out, 'summary.md'), html: join(out, 'report.html') });
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md']);
    expect(readFileSync(files.json, 'utf8')).toBe(renderJson(report));
    expect(readFileSync(files.junit, 'utf8')).toBe(renderJunit(report));
    expect(readFileSync(files.markdown, 'utf8')).toBe(renderMarkdown(report));
    expect(readFileSync(files.html, 'utf8')).toBe(renderHtml(report));
  });
});

describe('writeMatrix', () => {
  it('writes the four files of a matrix, the summary being a table of rules by targets', () => {
    const matrix = fixtureMatrix();
    const out = join(tmp.dir, 'matrix');
    const files = writeMatrix(out, matrix);
    expect(JSON.parse(readFileSync(files.json, 'utf8'))).toEqual(matrix);
    expect(readFileSync(files.junit, 'utf8')).toBe(renderJunit(matrix));
    expect(readFileSync(files.markdown, 'utf8')).toMatch(/^# Bucket conformance matrix: `\.\/my-adapter\.ts`, `reference`\n/);
    expect(readFileSync(files.html, 'utf8')).toContain('<h1>Bucket conformance matrix</h1>');
  });
});
