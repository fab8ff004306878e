import type { MatrixReport } from './matrix.ts';
import type { RunReport } from './report.ts';

/** The text of `report.json` (of a run or of a matrix): pretty-printed, ending in a newline. */
export function renderJson(report: RunReport | MatrixReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
