/** The object-storage services whose bucket access control the suite covers. */
export const VENDORS = ['alibaba-oss', 'huawei-obs', 'aps-oss'] as const;
/** One covered service. */
export type Vendor = (typeof VENDORS)[number];

/** Where a rule file may live: a vendor, or `common` for the cross-vendor `X-*` rules. */
export const RULE_SCOPES = [...VENDORS, 'common'] as const;
/** The scope of a rule: a vendor or `common`. */
export type RuleScope = (typeof RULE_SCOPES)[number];

/** Whether `value` names a covered vendor. */
export function isVendor(value: unknown): value is Vendor {
  return typeof value === 'string' && (VENDORS as readonly string[]).includes(value);
}
