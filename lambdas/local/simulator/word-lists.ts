/**
 * Word lists the simulated company's customers are made of. Every name is invented; domains use the
 * reserved `.example` top-level domain, so no simulated address can reach a real mailbox.
 */

/** Splits a whitespace-separated list (keeps long lists compact and readable). */
function words(text: string): readonly string[] {
  return text.trim().split(/\s+/);
}

/** First half of customer company names. */
export const COMPANY_PREFIXES = words(`
  Northwind Bluepeak Copperleaf Brightwater Ironbark Silverline Redwood Quillfeather Lumen Harborview
  Stonegate Fairmont Greenfield Oakridge Clearpath Sunmill Westbrook Highland Kestrel Meridian Pinecrest
  Riverstone Tidewater Foxglove Cobalt Driftwood Evergreen Granite Juniper Larkspur Maple Nimbus Orchard
  Pioneer Quarry Sable Thistle Umber Vantage Willow Yarrow Zephyr Alder Beacon Cascade Delta Ember Falcon
  Glacier Horizon`);

/** Second half of customer company names. */
export const COMPANY_SUFFIXES = words(`
  Analytics Logistics Health Foods Robotics Capital Labs Systems Studios Networks Supply Energy Learning
  Media Partners Works Outfitters Freight Clinics Software Retail Insurance Biotech Consulting Hotels`);

/** Salesforce's standard `Industry` picklist values the simulated customers belong to. */
export const INDUSTRIES = words(`
  Technology Finance Healthcare Retail Manufacturing Education Media Consulting Hospitality Transportation
  Insurance Biotechnology`);

/** First names of simulated users. */
export const FIRST_NAMES = words(`
  Ada Bruno Chloé Dmitri Elena Farah Gustavo Hana Ibrahim Julia Kenji Lena Mateo Nadia Omar Priya Quentin
  Rosa Sven Tomás Uma Viktor Wen Ximena Yusuf Zoe Amara Bjorn Carmen Diego Esther Felix Greta Hugo Ines
  Jonas Kofi Leila Marco Noor`);

/** Last names of simulated users. */
export const LAST_NAMES = words(`
  Abara Becker Castillo Dubois Eriksen Fontaine García Haddad Ivanova Jensen Kowalski Lindqvist Moreau
  Nakamura Okafor Petrov Quinn Rossi Schmidt Tanaka Umarov Vasquez Weber Xu Yilmaz Zhang Mensah Silva`);

/** Countries the customers are billed in (ISO 3166 alpha-2), weighted by repetition. */
export const COUNTRIES = words('US US US US GB DE FR CA NL SE AU JP BR');

/** Ticket subjects and the tag each one carries. */
export const TICKET_TOPICS: readonly (readonly [subject: string, tag: string])[] = [
  ['CSV export times out on large reports', 'export'],
  ['Cannot invite a new teammate', 'users'],
  ['Dashboard shows stale numbers', 'data_freshness'],
  ['SSO login fails for some users', 'sso'],
  ['Question about our invoice', 'billing'],
  ['How do I schedule a report?', 'how_to'],
  ['Salesforce integration stopped syncing', 'integrations'],
  ['Charts render slowly', 'performance'],
  ['Need to change the billing email', 'billing'],
  ['API returns 429 too often', 'api'],
  ['Feature request: dark mode', 'feature_request'],
  ['Alerts are not delivered to Slack', 'integrations'],
];

/** Support agents of the simulated company (Zendesk user ids and names). */
export const SUPPORT_AGENTS: readonly (readonly [id: string, name: string])[] = [
  ['381234500011', 'Maya Brooks'],
  ['381234500012', 'Luis Ortega'],
  ['381234500013', 'Aiko Sato'],
  ['381234500014', 'Ben Carter'],
  ['381234500015', 'Fatima Khan'],
  ['381234500016', 'Owen Price'],
];

/** Account owners in Salesforce (15-character user ids). */
export const ACCOUNT_OWNERS = words('0055j000003AbCd 0055j000003EfGh 0055j000003IjKl 0055j000003MnOp');
