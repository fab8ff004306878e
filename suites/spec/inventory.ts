import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { ConformanceError, ConformanceErrors } from '../../model/errors.ts';
import { RULE_STATUSES } from '../../model/rule.ts';
import type { RuleStatus } from '../../model/rule.ts';
import { RULE_SCOPES } from '../../model/vendors.ts';
import type { RuleScope } from '../../model/vendors.ts';

/** One row of the rule inventory (RULES.md), as `specs/_meta/rule-ids.yaml` lists it. */
export interface RuleInventoryEntry {
  id: string;
  /** The vendor of the section the id belongs to, or `common` for the cross-vendor `X-*` ids. */
  vendor: RuleScope;
  /** The statuses the status cell names; a rule with this id (or a child id) must have one of them. */
  statuses: RuleStatus[];
  /** The status cell as written, such as `doc (limit) / inferred (error)`. */
  statusText: string;
  /** The rule cell as written (Markdown). */
  text: string;
}

/** The vendor of each rule id prefix (`ALI-VERSION` belongs to `alibaba-oss`). */
export const RULE_ID_PREFIXES: Readonly<Record<string, RuleScope>> = {
  APS: 'aps-oss',
  ALI: 'alibaba-oss',
  OBS: 'huawei-obs',
  X: 'common',
};

/** The scope a rule id belongs to by its prefix, or undefined for an unknown prefix. */
export function scopeOfRuleId(id: string): RuleScope | undefined {
  const prefix = id.split('-', 1)[0] ?? '';
  return Object.hasOwn(RULE_ID_PREFIXES, prefix) ? RULE_ID_PREFIXES[prefix] : undefined;
}

function cells(row: string): string[] {
  // Split on unescaped pipes; the outer pipes of a Markdown table row leave empty ends.
  const parts = row.trim().split(/(?<!\\)\|/).map((c) => c.trim().replaceAll('\\|', '|'));
  return parts.slice(1, -1);
}

/**
 * The rows of the rule tables of RULES.md, in document order. Throws when a row has an id with an
 * unknown prefix or a status cell that names no status, so that a new section is noticed.
 */
export function parseRulesMarkdown(markdown: string): RuleInventoryEntry[] {
  const entries: RuleInventoryEntry[] = [];
  for (const [index, line] of markdown.split(/\r?\n/).entries()) {
    if (!line.startsWith('|')) continue;
    const row = cells(line);
    if (row.length !== 3) continue;
    const [id, text, statusText] = row as [string, string, string];
    if (id === 'id' || /^-+$/.test(id)) continue;
    const vendor = scopeOfRuleId(id);
    if (!vendor) throw new Error(`RULES.md:${index + 1}: unknown rule id prefix in \`${id}\``);
    const named = new Set(statusText.match(/\b(?:doc|inferred|ambiguous)\b/g) ?? []);
    const statuses = RULE_STATUSES.filter((s) => named.has(s));
    if (statuses.length === 0) throw new Error(`RULES.md:${index + 1}: no status in \`${statusText}\` of \`${id}\``);
    entries.push({ id, vendor, statuses, statusText, text });
  }
  return entries;
}

function isEntry(value: unknown): value is RuleInventoryEntry {
  const e = value as Partial<RuleInventoryEntry> | null;
  return typeof e === 'object' && e !== null && typeof e.id === 'string' && typeof e.text === 'string'
    && typeof e.statusText === 'string' && (RULE_SCOPES as readonly unknown[]).includes(e.vendor)
    && Array.isArray(e.statuses) && e.statuses.length > 0
    && e.statuses.every((s) => (RULE_STATUSES as readonly unknown[]).includes(s));
}

/**
 * Reads the rule inventory `rule-ids.yaml` (generated from RULES.md by `npm run gen:meta`) from
 * `metaDir`, which defaults to `<specsDir>/_meta`. Throws ConformanceErrors when it is missing or malformed.
 */
export async function loadRuleInventory(specsDir: string, metaDir: string = join(specsDir, '_meta')): Promise<ReadonlyMap<string, RuleInventoryEntry>> {
  const file = join(metaDir, 'rule-ids.yaml');
  const fail = (why: string, cause?: unknown): never => {
    throw new ConformanceErrors([new ConformanceError('CONFORMANCE_INPUT', `\`${relative(process.cwd(), file)}\`: ${why}; run \`npm run gen:meta\``, { cause })]);
  };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return fail('cannot read the rule inventory', error);
  }
  let list: unknown;
  try {
    list = parse(text);
  } catch (error) {
    return fail('the rule inventory is not valid YAML', error);
  }
  if (!Array.isArray(list)) return fail('the rule inventory is not a list');
  const inventory = new Map<string, RuleInventoryEntry>();
  for (const entry of list) {
    if (!isEntry(entry)) return fail(`malformed entry \`${JSON.stringify(entry)}\``);
    inventory.set(entry.id, entry);
  }
  return inventory;
}

/**
 * The statuses a rule document or matrix entry with `id` may have: those RULES.md gives its
 * parent id, and for a child id also `inferred` when RULES.md gives `doc`. A child may state
 * less firmly than its row, never more: a doc rule's child that encodes what the document does
 * not write down (a status code, a missing object) is inferred.
 */
export function allowedStatuses(entry: RuleInventoryEntry, id: string): RuleStatus[] {
  const child = id.includes('.');
  return RULE_STATUSES.filter((s) => entry.statuses.includes(s) || (child && s === 'inferred' && entry.statuses.includes('doc')));
}

/** The message for a status that `allowedStatuses` does not give `id`. */
export function statusMismatchMessage(entry: RuleInventoryEntry, id: string, status: string): string {
  const child = id.includes('.') && entry.statuses.includes('doc') && !entry.statuses.includes('inferred') ? ' (a child id may also be `inferred`)' : '';
  return `status \`${status}\` does not match RULES.md, which gives \`${entry.id}\`: ${entry.statusText}${child}`;
}
