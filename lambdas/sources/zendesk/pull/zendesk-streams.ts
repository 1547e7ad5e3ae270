/** How Zendesk pages one export. */
export type ZendeskPaging =
  /** Cursor-based incremental export: `start_time` once, then `cursor`; `end_of_stream` ends a run. */
  | 'cursor_export'
  /** Time-based incremental export: `start_time`, answered with `end_time` for the next request. */
  | 'time_export'
  /** A list with cursor pagination (`page[size]`, `page[after]`, `meta.has_more`) filtered by `start_time`. */
  | 'cursor_list';

/** How one Zendesk record kind is read. */
export interface ZendeskStreamSpec {
  readonly name: string;
  /** Envelope kind (`ticket`). */
  readonly kind: string;
  readonly path: string;
  /** The key of the record list in the answer (`tickets`). */
  readonly key: string;
  readonly paging: ZendeskPaging;
  /** Whether a record says it is deleted (tickets: `status: deleted`; organizations: `deleted_at`). */
  readonly isDeleted?: (record: Readonly<Record<string, unknown>>) => boolean;
}

/** The Zendesk Support data a Support Ops team reports on. */
export const ZENDESK_STREAMS: readonly ZendeskStreamSpec[] = [
  {
    name: 'tickets',
    kind: 'ticket',
    path: '/api/v2/incremental/tickets/cursor.json',
    key: 'tickets',
    paging: 'cursor_export',
    isDeleted: (r) => r['status'] === 'deleted',
  },
  {
    name: 'users',
    kind: 'user',
    path: '/api/v2/incremental/users/cursor.json',
    key: 'users',
    paging: 'cursor_export',
  },
  {
    name: 'organizations',
    kind: 'organization',
    path: '/api/v2/incremental/organizations.json',
    key: 'organizations',
    paging: 'time_export',
    isDeleted: (r) => typeof r['deleted_at'] === 'string',
  },
  {
    name: 'ticket_metric_events',
    kind: 'ticket_metric_event',
    path: '/api/v2/incremental/ticket_metric_events.json',
    key: 'ticket_metric_events',
    paging: 'time_export',
  },
  {
    name: 'satisfaction_ratings',
    kind: 'satisfaction_rating',
    path: '/api/v2/satisfaction_ratings',
    key: 'satisfaction_ratings',
    paging: 'cursor_list',
  },
];
