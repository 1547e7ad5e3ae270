import { salesforceId18 } from '../../sources/salesforce/salesforce-id.js';
import type { SalesforceNotification } from './sim-event.js';

/**
 * The fictional Salesforce organization the simulated company's CRM runs in. Outbound messages carry no
 * signature; the pipeline accepts them only from organizations listed in `SLUICE_SALESFORCE_ORG_IDS`.
 */
export const SIMULATOR_ORG_ID = salesforceId18('00D5j00000SiMuL');

/** The outbound message action (workflow rule) that sends the notifications. */
const ACTION_ID = salesforceId18('04k5j000000SiMu');

const INSTANCE = 'https://sluice-sim.my.salesforce.com';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Writes notifications of one sObject type as the SOAP `notifications` call Salesforce posts, shaped as its
 * outbound messaging WSDL describes. No session id is sent (the action does not "Send Session ID"), so no
 * credential-like value ever leaves the simulator.
 */
export function outboundMessageXml(notifications: readonly SalesforceNotification[]): string {
  const org15 = SIMULATOR_ORG_ID.slice(0, 15);
  const items = notifications
    .map((n) => {
      const fields = Object.entries(n.fields)
        .map(([name, value]) =>
          value === null ? `<sf:${name} xsi:nil="true"/>` : `<sf:${name}>${escapeXml(value)}</sf:${name}>`,
        )
        .join('');
      return `<Notification><Id>${n.id}</Id><sObject xsi:type="sf:${n.sObjectType}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${fields}</sObject></Notification>`;
    })
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">' +
    `<OrganizationId>${SIMULATOR_ORG_ID}</OrganizationId><ActionId>${ACTION_ID}</ActionId>` +
    '<SessionId xsi:nil="true"/>' +
    `<EnterpriseUrl>${INSTANCE}/services/Soap/c/62.0/${org15}</EnterpriseUrl>` +
    `<PartnerUrl>${INSTANCE}/services/Soap/u/62.0/${org15}</PartnerUrl>` +
    `${items}</notifications></soapenv:Body></soapenv:Envelope>`
  );
}
