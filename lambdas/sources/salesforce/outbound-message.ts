import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { RejectedError } from '../../core/errors.js';
import { xmlEntityDecoder } from './xml-entities.js';

/** Salesforce sends at most this many notifications in one outbound message. */
export const MAX_NOTIFICATIONS = 100;

/** The header of an outbound message, without `SessionId`: a live session is a credential and is never kept. */
export interface OutboundHeader {
  readonly OrganizationId: string;
  readonly ActionId?: string;
  readonly EnterpriseUrl?: string;
  readonly PartnerUrl?: string;
}

/** A parsed outbound message: the header and the raw `Notification` elements, checked by {@link readNotifications}. */
export interface OutboundMessage {
  readonly header: OutboundHeader;
  readonly notifications: readonly unknown[];
}

/** One notification: its id (`undefined` when absent), its sObject type (`Account`) and the sObject's fields. */
export interface OutboundNotification {
  readonly id: string | undefined;
  readonly sObjectType: string | undefined;
  readonly fields: Readonly<Record<string, unknown>>;
}

type XmlNode = Record<string, unknown>;

const NOTIFICATION_PATH = 'Envelope.Body.notifications.Notification';

/**
 * The XML parser: prefixes stripped (`sf:Name` → `Name`), every value kept as text (an `00123` phone or an id
 * must not become a number), whitespace kept, and only XML's own entities decoded. Tag names that could
 * pollute prototypes make it throw, which the caller answers with 400.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
  entityDecoder: xmlEntityDecoder(),
  isArray: (_name, path) => path === NOTIFICATION_PATH,
});

function malformed(detail: string): RejectedError {
  return new RejectedError(400, 'malformed_xml', detail);
}

function notNotifications(detail: string): RejectedError {
  return new RejectedError(400, 'not_notifications', detail);
}

function isNode(value: unknown): value is XmlNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The text of a simple element (`<Id>…</Id>`, or `<Id xsi:type="…">…</Id>`), trimmed; `undefined` if none. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (isNode(value) && typeof value['#text'] === 'string') return value['#text'].trim() || undefined;
  return undefined;
}

/**
 * Parses the body of an outbound message (a SOAP 1.1 `notifications` call). DTDs are refused before parsing
 * (SOAP forbids them, and they are how XXE and entity-expansion attacks get in); the XML must be well formed;
 * the body must hold `Envelope/Body/notifications` with an `OrganizationId`. Each way it can be wrong is a 400
 * with its own code.
 */
export function parseOutboundMessage(body: Uint8Array): OutboundMessage {
  if (body.byteLength === 0)
    throw new RejectedError(
      400,
      'empty_body',
      'the request body is empty; send a SOAP notifications message',
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw malformed('the body is not UTF-8 text');
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new RejectedError(
      400,
      'dtd_not_allowed',
      'document type declarations and entities are not allowed in SOAP messages',
    );
  }
  let document: unknown;
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true)
      throw malformed(`the body is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
    document = parser.parse(text);
  } catch (error) {
    if (error instanceof RejectedError) throw error;
    throw malformed(`the body could not be parsed as XML: ${(error as Error).message}`);
  }
  const envelope = isNode(document) ? document['Envelope'] : undefined;
  const soapBody = isNode(envelope) ? envelope['Body'] : undefined;
  const notifications = isNode(soapBody) ? soapBody['notifications'] : undefined;
  if (!isNode(notifications))
    throw notNotifications('the body is not a SOAP envelope holding a notifications element');
  const organizationId = textOf(notifications['OrganizationId']);
  if (organizationId === undefined) throw notNotifications('the notifications element has no OrganizationId');
  const header: OutboundHeader = {
    OrganizationId: organizationId,
    ...optional('ActionId', textOf(notifications['ActionId'])),
    ...optional('EnterpriseUrl', textOf(notifications['EnterpriseUrl'])),
    ...optional('PartnerUrl', textOf(notifications['PartnerUrl'])),
  };
  const list = notifications['Notification'];
  return { header, notifications: Array.isArray(list) ? list : [] };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** Checks the count (1 to {@link MAX_NOTIFICATIONS}) and shape of the notifications and reads each one. */
export function readNotifications(raw: readonly unknown[]): OutboundNotification[] {
  if (raw.length === 0)
    throw new RejectedError(400, 'no_notifications', 'the message holds no Notification element');
  if (raw.length > MAX_NOTIFICATIONS) {
    throw new RejectedError(
      400,
      'too_many_notifications',
      `the message holds ${raw.length} notifications; Salesforce sends at most ${MAX_NOTIFICATIONS}`,
    );
  }
  return raw.map((notification, index) => {
    if (!isNode(notification)) throw notNotifications(`Notification ${index + 1} is empty`);
    const sObject = notification['sObject'];
    if (!isNode(sObject)) throw notNotifications(`Notification ${index + 1} has no sObject`);
    const type = sObject['@_type'];
    return {
      id: textOf(notification['Id']),
      sObjectType:
        typeof type === 'string' && type.trim() !== '' ? type.trim().replace(/^[^:]*:/, '') : undefined,
      fields: fieldsOf(sObject),
    };
  });
}

/** The child elements of a node as plain JSON: attributes and layout whitespace dropped, `xsi:nil` as null. */
function fieldsOf(node: XmlNode): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(node)
      .filter((key) => !key.startsWith('@_') && key !== '#text')
      .map((key) => [key, plainValue(node[key])]),
  );
}

function plainValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainValue);
  if (!isNode(value)) return value;
  if (value['@_nil'] === 'true') return null;
  const hasChildren = Object.keys(value).some((key) => !key.startsWith('@_') && key !== '#text');
  if (hasChildren) return fieldsOf(value);
  return typeof value['#text'] === 'string' ? value['#text'] : '';
}
