/**
 * Readings of the OBS bucket-policy documents that the specs mark as inferred or ambiguous in child
 * rules, and that a generated case may depend on only when asked. Without a reading, the
 * generators build no case whose expected outcome would change if the target followed the other
 * reading, so that a doc rule asserts only what the documents state:
 * - `action-case` (OBS-WILDCARD.action-case): Action names and patterns match whatever their case
 *   (O1 "case-insensitive"). Without it: no pattern that differs from an action name only in the
 *   case of its letters, and every pattern in the API case of the names it is built from.
 * - `stringlike-case` (OBS-CONDITIONS.stringlike-case): StringLike and StringNotLike compare
 *   case-sensitively (O1; CONFLICT with O20). Without it: no StringLike/StringNotLike value whose
 *   match depends on case (a pattern that matches the request's value only when case is ignored).
 * - `resource-case` (OBS-WILDCARD.resource-case): Resources match case-sensitively. Without it: no
 *   Resource that differs from the request's bucket or key only in case where it decides.
 * What the documents settle stays whatever the readings: user ids in Principal are case-sensitive
 * (O1), the IgnoreCase operators ignore case, StringEquals and StringNotEquals compare exactly.
 */

/** The readings a policy case may depend on. */
export const OBS_POLICY_READINGS = ['action-case', 'stringlike-case', 'resource-case'] as const;
/** One reading. */
export type ObsPolicyReading = (typeof OBS_POLICY_READINGS)[number];
/** The readings a generator may build cases on. */
export type ObsReadings = ReadonlySet<ObsPolicyReading>;

/** No reading: only what the documents state. The default of every generator. */
export const NO_READINGS: ObsReadings = new Set();

/** Every reading. */
export const ALL_READINGS: ObsReadings = new Set(OBS_POLICY_READINGS);

/** The readings of a list (a `readings` param), as a set; none when absent. */
export function obsReadings(list: readonly ObsPolicyReading[] | undefined): ObsReadings {
  return list === undefined || list.length === 0 ? NO_READINGS : new Set(list);
}
