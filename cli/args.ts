import { readFileSync } from 'node:fs';
import { ConformanceError } from '../model/errors.ts';
import { isVendor, type Vendor } from '../model/vendors.ts';
import { REPORT_FORMAT, type RunReport } from '../reports/report.ts';

/** The exit codes of every command: 0 conforms (or done), 1 nonconformance, 2 usage or configuration, 3 internal. */
export const EXIT = { ok: 0, nonconformance: 1, usage: 2, internal: 3 } as const;

/** Stops the command with a usage error (exit code 2). */
export function usage(message: string): never {
  throw new ConformanceError('CONFORMANCE_USAGE', message);
}

/** The integer value of option `--name`, at least `min`; undefined when not given. */
export function integer(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) usage(`--${name}: \`${text}\` is not an integer${min > 0 ? ` >= ${min}` : ''}`);
  return n;
}

/** The values of a repeatable option, each possibly comma-separated. */
export function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** The vendors of `--vendor`, checked. */
export function vendorsOf(values: string[] | undefined): Vendor[] {
  const vendors = splitList(values);
  for (const v of vendors) if (!isVendor(v)) usage(`--vendor: unknown vendor \`${v}\`; valid vendors: alibaba-oss, huawei-obs, aps-oss`);
  return vendors as Vendor[];
}

/** Reads a JSON file, as an input error (exit code 2) when it cannot be read or parsed. */
export function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConformanceError('CONFORMANCE_INPUT', `${file}: cannot read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConformanceError('CONFORMANCE_INPUT', `${file}: not JSON: ${(error as Error).message}`);
  }
}

/** Reads a `report.json` of one run; anything else (a matrix, another file) is an input error. */
export function readReport(file: string): RunReport {
  const data = readJson(file) as Partial<RunReport> | null;
  const format = typeof data === 'object' && data !== null ? data.format : undefined;
  if (format !== REPORT_FORMAT) {
    const what = typeof format === 'string' ? `a \`${format}\` file` : 'not a report';
    throw new ConformanceError('CONFORMANCE_INPUT', `${file}: ${what}; expected the report.json of a run (format \`${REPORT_FORMAT}\`)`);
  }
  if (typeof data!.run !== 'object' || !Array.isArray(data!.rules)) throw new ConformanceError('CONFORMANCE_INPUT', `${file}: a report without \`run\` or \`rules\``);
  return data as RunReport;
}
