/** The alphabet of the 3-character suffix that turns a 15-character Salesforce id into an 18-character one. */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The case-sensitive 15-character form of a Salesforce id, or `undefined` when `id` is not one.
 *
 * Salesforce ids come in two forms: 15 characters, case-sensitive, and 18 characters, whose last three
 * encode the case of the first fifteen (five letters per suffix character, one bit per upper-case letter)
 * so that the id survives case-insensitive systems. Comparing the two forms correctly means reducing both to
 * the 15-character form: the 18-character one takes its case from the suffix, not from how it was typed.
 * A suffix that contradicts the id (a bit set on a digit) is not an id.
 */
export function canonicalSalesforceId(id: string): string | undefined {
  const trimmed = id.trim();
  if (/^[A-Za-z0-9]{15}$/.test(trimmed)) return trimmed;
  if (!/^[A-Za-z0-9]{18}$/.test(trimmed)) return undefined;
  let canonical = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    const bits = SUFFIX_ALPHABET.indexOf(trimmed.charAt(15 + chunk).toUpperCase());
    if (bits < 0) return undefined;
    for (let position = 0; position < 5; position += 1) {
      const char = trimmed.charAt(chunk * 5 + position);
      const upper = (bits & (1 << position)) !== 0;
      if (/[0-9]/.test(char)) {
        if (upper) return undefined;
        canonical += char;
      } else {
        canonical += upper ? char.toUpperCase() : char.toLowerCase();
      }
    }
  }
  return canonical;
}

/** The 18-character form of a valid 15-character id (the suffix Salesforce computes). */
export function salesforceId18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let position = 0; position < 5; position += 1) {
      if (/[A-Z]/.test(id15.charAt(chunk * 5 + position))) bits |= 1 << position;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return id15 + suffix;
}

/**
 * Whether an organization id is on the allow-list (`SLUICE_SALESFORCE_ORG_IDS`: comma-separated, 15- or
 * 18-character ids in any mix). Entries that are not ids never match.
 */
export function isAllowedOrganization(organizationId: string, allowList: string): boolean {
  const wanted = canonicalSalesforceId(organizationId);
  if (wanted === undefined) return false;
  return allowList.split(',').some((entry) => canonicalSalesforceId(entry) === wanted);
}
