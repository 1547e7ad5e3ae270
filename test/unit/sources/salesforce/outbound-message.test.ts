import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../../lambdas/core/errors.js';
import {
  parseOutboundMessage,
  readNotifications,
} from '../../../../lambdas/sources/salesforce/outbound-message.js';
import { accountNotification, ORG_ID_18, outboundMessage } from '../../../support/salesforce-fixtures.js';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof RejectedError) return `${error.status} ${error.code}`;
    throw error;
  }
  return 'accepted';
}

function parse(xml: string) {
  return parseOutboundMessage(Buffer.from(xml));
}

describe('the outbound message parser', () => {
  it('reads the header without the SessionId', () => {
    const { header } = parse(outboundMessage([accountNotification(1)]));
    expect(header).toEqual({
      OrganizationId: ORG_ID_18,
      ActionId: expect.stringMatching(/^04k/),
      EnterpriseUrl: expect.stringContaining('/services/Soap/c/'),
      PartnerUrl: expect.stringContaining('/services/Soap/u/'),
    });
  });

  it('reads each notification with its id, its sObject type and its fields as text', () => {
    const fixture = accountNotification(7);
    const [notification] = readNotifications(parse(outboundMessage([fixture])).notifications);
    expect(notification).toEqual({ id: fixture.id, sObjectType: 'Account', fields: fixture.fields });
  });

  it('decodes XML entities and numeric character references exactly once', () => {
    const xml = outboundMessage([accountNotification(1, { Name: 'PLACEHOLDER' })]).replace(
      'PLACEHOLDER',
      'A &amp; B &lt;3 &#233;t&#xE9; &amp;#60;',
    );
    const [notification] = readNotifications(parse(xml).notifications);
    expect(notification?.fields['Name']).toBe('A & B <3 été &#60;');
  });

  it('keeps nil fields as null and CDATA as text', () => {
    const xml = outboundMessage([accountNotification(1, { Industry: null, Name: 'PLACEHOLDER' })]).replace(
      'PLACEHOLDER',
      '<![CDATA[<b>bold</b>]]>',
    );
    const [notification] = readNotifications(parse(xml).notifications);
    expect(notification?.fields).toMatchObject({ Industry: null, Name: '<b>bold</b>' });
  });

  it('refuses an external entity (XXE) with 400 dtd_not_allowed, before anything reads it', () => {
    const xml = outboundMessage([accountNotification(1, { Name: 'PLACEHOLDER' })])
      .replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      )
      .replace('PLACEHOLDER', '&xxe;');
    expect(codeOf(() => parse(xml))).toBe('400 dtd_not_allowed');
  });

  it('refuses an entity-expansion bomb with 400 dtd_not_allowed', () => {
    const xml =
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    expect(codeOf(() => parse(xml))).toBe('400 dtd_not_allowed');
  });

  it('leaves an undeclared entity as text rather than resolving it', () => {
    const xml = outboundMessage([accountNotification(1, { Name: 'PLACEHOLDER' })]).replace(
      'PLACEHOLDER',
      '&xxe;',
    );
    const [notification] = readNotifications(parse(xml).notifications);
    expect(notification?.fields['Name']).toBe('&xxe;');
  });

  it.each([
    ['unclosed tags', '<soapenv:Envelope><soapenv:Body>'],
    ['text that is not XML', 'OrganizationId=00D5e000000KQ2e'],
    ['mismatched tags', '<a><b></a></b>'],
  ])('refuses %s with 400 malformed_xml', (_name, xml) => {
    expect(codeOf(() => parse(xml))).toBe('400 malformed_xml');
  });

  it('refuses a body that is not UTF-8 with 400 malformed_xml', () => {
    expect(codeOf(() => parseOutboundMessage(Uint8Array.from([0x3c, 0x61, 0xff, 0x3e])))).toBe(
      '400 malformed_xml',
    );
  });

  it('refuses an empty body with 400 empty_body', () => {
    expect(codeOf(() => parse(''))).toBe('400 empty_body');
  });

  it('refuses well-formed XML that is not a notifications envelope with 400 not_notifications', () => {
    expect(codeOf(() => parse('<Envelope><Body><somethingElse/></Body></Envelope>'))).toBe(
      '400 not_notifications',
    );
  });

  it('refuses a notifications element without an OrganizationId with 400 not_notifications', () => {
    const xml = outboundMessage([accountNotification(1)]).replace(
      /<OrganizationId>[^<]*<\/OrganizationId>/,
      '',
    );
    expect(codeOf(() => parse(xml))).toBe('400 not_notifications');
  });

  it('refuses a message without notifications with 400 no_notifications', () => {
    expect(codeOf(() => readNotifications(parse(outboundMessage([])).notifications))).toBe(
      '400 no_notifications',
    );
  });

  it('refuses more than 100 notifications with 400 too_many_notifications', () => {
    const many = Array.from({ length: 101 }, (_, i) => accountNotification(i));
    expect(codeOf(() => readNotifications(parse(outboundMessage(many)).notifications))).toBe(
      '400 too_many_notifications',
    );
  });

  it('refuses a notification without an sObject with 400 not_notifications', () => {
    const xml = outboundMessage([accountNotification(1)]).replace(/<sObject[\s\S]*<\/sObject>/, '');
    expect(codeOf(() => readNotifications(parse(xml).notifications))).toBe('400 not_notifications');
  });

  it('refuses tag names that would pollute prototypes with 400 malformed_xml', () => {
    const xml = outboundMessage([accountNotification(1, { __proto__polluted: 'x' })]).replace(
      /__proto__polluted/g,
      '__proto__',
    );
    expect(codeOf(() => parse(xml))).toBe('400 malformed_xml');
  });
});
