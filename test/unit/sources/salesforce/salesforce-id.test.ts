import { describe, expect, it } from 'vitest';
import {
  canonicalSalesforceId,
  isAllowedOrganization,
  salesforceId18,
} from '../../../../lambdas/sources/salesforce/salesforce-id.js';

describe('Salesforce ids', () => {
  it('computes the 18-character suffix Salesforce documents', () => {
    expect(salesforceId18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
  });

  it('reduces an 18-character id to its 15-character form', () => {
    expect(canonicalSalesforceId('001A0000006Vm9rIAC')).toBe('001A0000006Vm9r');
  });

  it('restores the case of an 18-character id typed in lower case from its suffix', () => {
    expect(canonicalSalesforceId('001a0000006vm9riac')).toBe('001A0000006Vm9r');
  });

  it('keeps a 15-character id as it is, case included', () => {
    expect(canonicalSalesforceId('001a0000006vm9r')).toBe('001a0000006vm9r');
  });

  it('refuses an 18-character id whose suffix marks a digit as upper case', () => {
    expect(canonicalSalesforceId('000000000000000ZZZ')).toBeUndefined();
  });

  it.each(['', '00D', '00D5e000000KQ2e!', '00D5e000000KQ2eAAAA'])('refuses %j as an id', (id) => {
    expect(canonicalSalesforceId(id)).toBeUndefined();
  });
});

describe('the organization allow-list', () => {
  const org15 = '00D5e000000KQ2e';
  const org18 = salesforceId18(org15);

  it('allows an 18-character id listed in its 15-character form', () => {
    expect(isAllowedOrganization(org18, `00Dxx0000001gEH, ${org15}`)).toBe(true);
  });

  it('allows a 15-character id listed in its 18-character form', () => {
    expect(isAllowedOrganization(org15, org18)).toBe(true);
  });

  it('allows an 18-character id listed in lower case', () => {
    expect(isAllowedOrganization(org18, org18.toLowerCase())).toBe(true);
  });

  it('tells apart 15-character ids that differ only in case', () => {
    expect(isAllowedOrganization(org15, org15.toLowerCase())).toBe(false);
  });

  it('refuses an organization that is not listed', () => {
    expect(isAllowedOrganization('00Dxx0000001gEH', org18)).toBe(false);
  });

  it('refuses a malformed organization id even when the list holds the same text', () => {
    expect(isAllowedOrganization('not-an-id', 'not-an-id')).toBe(false);
  });
});
