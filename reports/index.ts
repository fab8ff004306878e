import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { MatrixReport } from './matrix.ts';
import type { RunReport } from './report.ts';

/**
 * Writes the four report files of a run or a matrix into one folder: `report.json` (the
 * canonical result), `junit.xml` (for CI), `summary.md` (for a pull request or
 * `$GITHUB_STEP_SUMMARY`) and `report.html` (one self-contained page).
 */

/** The files `writeReports` and `writeMatrix` write, by format: absolute or relative as `outDir` was given. */
export interface ReportFiles {
  json: string;
  junit: string;
  markdown: string;
  html: string;
}

/** The names of the report files in an out folder. */
export const REPORT_FILES = { json: 'report.json', junit: 'junit.xml', markdown: 'summary.md', html: 'report.html' } as const;

function writeAll(outDir: string, report: RunReport | MatrixReport): ReportFiles {
  mkdirSync(outDir, { recursive: true });
  const files: ReportFiles = {
    json: join(outDir, REPORT_FILES.json),
    junit: join(outDir, REPORT_FILES.junit),
    markdown: join(outDir, REPORT_FILES.markdown),
    html: join(outDir, REPORT_FILES.html),
  };
  writeFileSync(files.json, renderJson(report));
  writeFileSync(files.junit, renderJunit(report));
  writeFileSync(files.markdown, renderMarkdown(report));
  writeFileSync(files.html, renderHtml(report));
  return files;
}

/** Writes report.json, junit.xml, summary.md and report.html of a run into `outDir` (created if missing). */
export function writeReports(outDir: string, report: RunReport): ReportFiles {
  return writeAll(outDir, report);
}

/** Writes report.json, junit.xml, summary.md (a table of rules by targets) and report.html of a matrix into `outDir`. */
export function writeMatrix(outDir: string, matrix: MatrixReport): ReportFiles {
  return writeAll(outDir, matrix);
}
