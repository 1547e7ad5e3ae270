import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestSalesforceOutboundMessage } from '../../../../lambdas/sources/salesforce/salesforce-ingest.js';
import { ingestHarness, postRequest, queuedEnvelopes } from '../../../support/ingest-harness.js';
import { anyBody, anyHeaders, expectOnlyRejections } from '../../../support/ingest-properties.js';
import { accountNotification, ORG_ID_18, outboundMessage } from '../../../support/salesforce-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');
const PATH = '/webhooks/salesforce';

function setup() {
  return ingestHarness({ SLUICE_SALESFORCE_ORG_IDS: ORG_ID_18 }, NOW);
}

/** Random XML subtrees over the outbound message's own vocabulary. */
const xmlTree: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 20 }).map((s) => s.replace(/[<&]/g, '')),
    fc.constantFrom(
      ORG_ID_18,
      '0015e00000ZkM3hAAF',
      '2026-11-25T10:14:03.000Z',
      '<![CDATA[x]]>',
      '&amp;',
      '&#233;',
      '&bogus;',
      '<!-- c -->',
    ),
    fc
      .tuple(
        fc.constantFrom(
          'Notification',
          'OrganizationId',
          'Id',
          'sObject',
          'sf:Id',
          'sf:Name',
          'sf:LastModifiedDate',
          'SessionId',
          'x',
        ),
        fc.constantFrom(
          '',
          ' xsi:type="sf:Account"',
          ' xsi:type="sf:Opportunity"',
          ' xsi:nil="true"',
          ' xsi:type=""',
          ' a="1" a="2"',
        ),
        fc.array(tie('node'), { maxLength: 4 }),
      )
      .map(([tag, attributes, children]) => `<${tag}${attributes}>${children.join('')}</${tag}>`),
  ),
})).node;

/** Notifications with or without an id, of any sObject type, whose fields are random subtrees. */
const randomNotification = fc
  .tuple(
    fc.constantFrom('', '<Id>04l5e00000Gx7QzAAJ</Id>', '<Id>not an id</Id>', '<Id/>'),
    fc.constantFrom(
      '',
      ' xsi:type="sf:Account"',
      ' xsi:type="sf:Opportunity"',
      ' xsi:type="sf:Invoice__c"',
      ' xsi:type="Weird Type!"',
    ),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'sf:Id',
          'sf:Name',
          'sf:Amount',
          'sf:LastModifiedDate',
          'sf:SystemModstamp',
          'Id',
          'sf:x',
        ),
        fc.oneof(xmlTree, fc.constantFrom('0015e00000ZkM3hAAF', '0065e00000ZkM3hAAF')),
      ),
      { maxLength: 5 },
    ),
  )
  .map(
    ([id, type, fields]) =>
      `<Notification>${id}<sObject${type}>${fields.map(([tag, value]) => `<${tag}>${value}</${tag}>`).join('')}</sObject></Notification>`,
  );

/** Notifications envelopes whose content is random: header fields and notifications in any number and shape. */
const randomEnvelope = fc
  .tuple(
    fc.constantFrom(
      '',
      `<OrganizationId>${ORG_ID_18}</OrganizationId>`,
      `<OrganizationId>${ORG_ID_18}</OrganizationId><SessionId>s3cr3t</SessionId>`,
    ),
    fc.array(fc.oneof({ arbitrary: randomNotification, weight: 4 }, { arbitrary: xmlTree, weight: 1 }), {
      maxLength: 6,
    }),
  )
  .map(
    ([header, children]) =>
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">${header}${children.join('')}</notifications></soapenv:Body></soapenv:Envelope>`,
  );

/** A valid message cut, spliced or salted at a random place. */
const mutatedMessage = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.nat(), fc.nat(), fc.string({ maxLength: 30 }))
  .map(([count, at, length, insert]) => {
    const xml = outboundMessage(Array.from({ length: count }, (_, i) => accountNotification(i)));
    const start = at % xml.length;
    return xml.slice(0, start) + insert + xml.slice(start + (length % 40));
  });

describe('POST /webhooks/salesforce under random input', () => {
  it('never answers 5xx nor throws anything but RejectedError for random bodies and headers', async () => {
    const { context } = setup();
    await fc.assert(
      fc.asyncProperty(anyBody, anyHeaders(['content-type', 'soapaction']), async (body, headers) => {
        const status = await expectOnlyRejections(
          ingestSalesforceOutboundMessage,
          postRequest(PATH, body, headers),
          context,
        );
        expect(status).toBeGreaterThanOrEqual(400);
      }),
    );
  });

  it('never answers 5xx nor keeps the SessionId for random XML and random notifications envelopes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(xmlTree, randomEnvelope), async (xml) => {
        const { context, queue } = setup();
        await expectOnlyRejections(ingestSalesforceOutboundMessage, postRequest(PATH, xml), context);
        expect(queue.sent.join('\n')).not.toContain('s3cr3t');
      }),
    );
  });

  it('never answers 5xx for valid messages cut or salted at random, and acknowledges only what it queued', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedMessage, async (xml) => {
        const { context, queue } = setup();
        const status = await expectOnlyRejections(
          ingestSalesforceOutboundMessage,
          postRequest(PATH, xml),
          context,
        );
        expect(status === 200).toBe(queuedEnvelopes(queue).length > 0);
      }),
    );
  });
});
