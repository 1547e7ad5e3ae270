import { salesforceId18 } from '../../lambdas/sources/salesforce/salesforce-id.js';

/** The sending organization's id in its 15-character form. */
export const ORG_ID_15 = '00D5e000000KQ2e';

/** The same organization id in its 18-character form, as outbound messages carry it. */
export const ORG_ID_18 = salesforceId18(ORG_ID_15);

/** A session id as Salesforce sends it: a live credential that must never be kept. */
export const SESSION_ID = '00D5e000000KQ2e!AQ0AQH8kZ3fNwS_secret_session_token_Vx9';

/** One notification of a fixture message. */
export interface FixtureNotification {
  readonly id: string;
  readonly type: string;
  readonly fields: Readonly<Record<string, string | null>>;
}

/** Escapes text for an XML element. */
function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An Account notification; `n` picks distinct, valid 18-character ids. */
export function accountNotification(
  n: number,
  fields: Record<string, string | null> = {},
): FixtureNotification {
  const suffix = String(n).padStart(3, '0');
  return {
    id: salesforceId18(`04l5e00000Gx${suffix}`),
    type: 'Account',
    fields: {
      Id: salesforceId18(`0015e00000Zk${suffix}`),
      Name: `Acme Subsidiary ${n} & Sons`,
      AnnualRevenue: '1.25E7',
      Industry: 'Manufacturing',
      NumberOfEmployees: '250',
      OwnerId: salesforceId18('0055e000003GzEk'),
      Phone: '00123 555 0142',
      LastModifiedDate: '2026-11-25T10:14:03.000Z',
      SystemModstamp: '2026-11-25T10:14:04.000Z',
      ...fields,
    },
  };
}

/** An Opportunity notification. */
export function opportunityNotification(
  n: number,
  fields: Record<string, string | null> = {},
): FixtureNotification {
  const suffix = String(n).padStart(3, '0');
  return {
    id: salesforceId18(`04l5e00000Hy${suffix}`),
    type: 'Opportunity',
    fields: {
      Id: salesforceId18(`0065e00000Op${suffix}`),
      AccountId: salesforceId18(`0015e00000Zk${suffix}`),
      Amount: '58800.0',
      CloseDate: '2026-12-31',
      IsClosed: 'false',
      IsWon: 'false',
      Name: 'Renewal FY27',
      Probability: '75.0',
      StageName: 'Negotiation/Review',
      SystemModstamp: '2026-11-25T09:00:00.000Z',
      ...fields,
    },
  };
}

/**
 * The SOAP body Salesforce posts for an outbound message, shaped as its outbound messaging WSDL describes
 * (`notifications` with the header fields and up to 100 `Notification`s).
 */
export function outboundMessage(
  notifications: readonly FixtureNotification[],
  options: { organizationId?: string; sessionId?: string | null } = {},
): string {
  const organizationId = options.organizationId ?? ORG_ID_18;
  const sessionId = options.sessionId === undefined ? SESSION_ID : options.sessionId;
  const session =
    sessionId === null ? '<SessionId xsi:nil="true"/>' : `<SessionId>${escapeXml(sessionId)}</SessionId>`;
  const items = notifications
    .map((n) => {
      const fields = Object.entries(n.fields)
        .map(([name, value]) =>
          value === null ? `<sf:${name} xsi:nil="true"/>` : `<sf:${name}>${escapeXml(value)}</sf:${name}>`,
        )
        .join('\n      ');
      return `
   <Notification>
    <Id>${n.id}</Id>
    <sObject xsi:type="sf:${n.type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
      ${fields}
    </sObject>
   </Notification>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${organizationId}</OrganizationId>
   <ActionId>${salesforceId18('04k5e000000CaRk')}</ActionId>
   ${session}
   <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/62.0/${organizationId.slice(0, 15)}</EnterpriseUrl>
   <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/62.0/${organizationId.slice(0, 15)}</PartnerUrl>${items}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
}
