import type { RunReport } from './report.ts';

/** The text of `report.json`: the canonical result, pretty-printed, ending in a newline. */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
