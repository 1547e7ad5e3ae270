/**
 * The daily digest: every incident open now or resolved in the last day, grouped by owner, so each team sees
 * its own list once a day instead of scrolling back through the channel.
 */
import { formatMinutes, headline, type DigestNotification } from './alert-notification.js';
import type { Incident } from './incident.js';

/** How far back resolved incidents are listed. */
export const DIGEST_WINDOW_HOURS = 24;

function line(incident: Incident, now: Date): string {
  const about = headline(incident);
  if (incident.state === 'resolved' && incident.resolvedAt) {
    const lasted = formatMinutes((incident.resolvedAt.getTime() - incident.openedAt.getTime()) / 60_000);
    return `resolved: ${about} (lasted ${lasted})`;
  }
  const age = formatMinutes((now.getTime() - incident.openedAt.getTime()) / 60_000);
  return `${incident.severity === 'error' ? 'ERROR' : 'warn'}: ${about} (open for ${age})`;
}

/** The digest of `incidents` (open or recently resolved) at `now`. */
export function buildDigest(
  incidents: readonly Incident[],
  now: Date,
  dashboardUrl?: string,
): DigestNotification {
  const open = incidents.filter((i) => i.state === 'open');
  const resolved = incidents.length - open.length;
  const owners = new Map<string, Incident[]>();
  for (const incident of incidents) {
    const owner = incident.owner ?? 'unassigned';
    owners.set(owner, [...(owners.get(owner) ?? []), incident]);
  }
  const groups = [...owners.entries()]
    .sort(([a], [b]) => (a === 'unassigned' ? 1 : b === 'unassigned' ? -1 : a.localeCompare(b)))
    .map(([owner, list]) => ({
      owner,
      lines: [...list]
        .sort((a, b) => Number(a.state === 'resolved') - Number(b.state === 'resolved'))
        .map((i) => line(i, now)),
    }));
  return {
    type: 'digest',
    title: `Sluice daily digest: ${open.length} open, ${resolved} resolved`,
    summary:
      incidents.length === 0
        ? `No incident in the last ${DIGEST_WINDOW_HOURS} hours: every monitor passed.`
        : `Incidents open now or resolved in the last ${DIGEST_WINDOW_HOURS} hours, by owner.`,
    groups,
    ...(dashboardUrl ? { link: `${dashboardUrl.replace(/\/+$/, '')}/dashboard#alerts` } : {}),
  };
}
