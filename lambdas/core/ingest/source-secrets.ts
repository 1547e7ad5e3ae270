import type { SourceKind } from '../config/config-types.js';
import { webhookSecretName } from './generic-webhook.js';

/**
 * The secret that authenticates a source's traffic, by the contract's names (ARCHITECTURE §7). The local
 * runtime generates the missing ones into `secrets.json`; the CDK app creates one Secrets Manager secret each.
 * Salesforce has none to generate: it is authenticated by an allow-list of organization ids; pull-only
 * sources (`postgres`, `amplitude`) have none either, since nothing posts to them (their pull credentials are
 * the connectors' own secrets).
 */
export function sourceSecretName(source: string, kind: SourceKind): string | undefined {
  switch (kind) {
    case 'segment':
      return 'SLUICE_SEGMENT_WRITE_KEY';
    case 'stripe':
      return 'SLUICE_STRIPE_WEBHOOK_SECRET';
    case 'zendesk':
      return 'SLUICE_ZENDESK_WEBHOOK_SECRET';
    case 'salesforce':
    case 'postgres':
    case 'amplitude':
      return undefined;
    case 'webhook':
      return webhookSecretName(source);
  }
}

/** The allow-list of Salesforce organization ids (comma-separated). */
export const SALESFORCE_ORG_IDS = 'SLUICE_SALESFORCE_ORG_IDS';
