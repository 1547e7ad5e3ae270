import type { IngestResponse } from '../../core/ingest/http-types.js';

/**
 * The answer Salesforce waits for before it stops retrying an outbound message: a SOAP `notificationsResponse`
 * with `Ack` true, which acknowledges every notification of the message at once. It must only be sent once
 * those notifications are durable; otherwise Salesforce would drop what Sluice failed to keep.
 */
export const SOAP_ACK: IngestResponse = {
  status: 200,
  headers: { 'content-type': 'text/xml; charset=utf-8' },
  body:
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
    '<soapenv:Body>' +
    '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>' +
    '</soapenv:Body>' +
    '</soapenv:Envelope>',
};
