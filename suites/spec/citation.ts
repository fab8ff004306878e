import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { didYouMean } from './schema-errors.ts';

/** The seeds that rules and table entries quote: the folder, its file names, and the texts read so far. */
export interface Seeds {
  /** The seeds folder, absolute. */
  path: string;
  /** The seeds folder as messages show it. */
  dir: string;
  names: Set<string>;
  /** Seed texts with white space collapsed, read on first use. */
  texts: Map<string, string>;
}

/** Runs of white space become one space, so that a quote may be wrapped in YAML. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Typographic quotes and dashes as ASCII, only to hint that a quote differs by them. */
function plainPunctuation(text: string): string {
  return text.replace(/[\u2018\u2019\u201a\u2032]/g, "'").replace(/[\u201c\u201d\u201e\u2033]/g, '"').replace(/[\u2010-\u2015]/g, '-');
}

/** What is wrong with a citation, and which of its two fields to point at. */
export interface CitationProblem {
  field: 'seed' | 'quote';
  message: string;
}

/**
 * Checks that `seed` is a file of the seeds folder and that it holds `quote`, compared after
 * collapsing white space. Returns undefined when the citation holds (or when its fields are not
 * strings, which the schema reports).
 */
export async function citationProblem(seeds: Seeds, seed: unknown, quote: unknown): Promise<CitationProblem | undefined> {
  if (typeof seed !== 'string' || /[/\\]/.test(seed)) return undefined;
  if (!seeds.names.has(seed)) {
    const help = didYouMean(seed, seeds.names) || `, not a file of \`${seeds.dir}\``;
    return { field: 'seed', message: `unknown seed \`${seed}\`${help}` };
  }
  if (typeof quote !== 'string' || quote.trim() === '') return undefined;
  let text = seeds.texts.get(seed);
  if (text === undefined) {
    text = collapse(await readFile(join(seeds.path, seed), 'utf8'));
    seeds.texts.set(seed, text);
  }
  const wanted = collapse(quote);
  if (text.includes(wanted)) return undefined;
  let help = '';
  if (plainPunctuation(text).includes(plainPunctuation(wanted))) {
    help = '; the seed has it with other quote marks or dashes, copy them from the seed';
  } else {
    // The longest prefix of the quote that the seed holds shows where the two part.
    let low = 0;
    let high = wanted.length;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (text.includes(wanted.slice(0, mid))) low = mid;
      else high = mid - 1;
    }
    const tail = wanted.slice(Math.max(0, low - 30), low).replace(/^\S*\s/, '').trim();
    if (low >= 10) help = `; the seed has its first ${low} characters, up to \`${tail}\``;
  }
  return { field: 'quote', message: `quote not found in seed \`${seed}\`${help}` };
}
