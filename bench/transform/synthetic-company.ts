/**
 * A simulated SaaS company written straight into the raw tables with DuckDB SQL, for the transform benchmark:
 * millions of events in seconds instead of the hours that signed HTTP requests through the simulator would take.
 * Payloads have the shapes the pipeline lands for each vendor (Segment calls with their `context`, Stripe event
 * objects, Zendesk event webhooks and CSAT triggers, Salesforce outbound-message notifications), sizes close to
 * the simulator's, and its mix: Segment track and page calls are ~95% of the events, billing history goes back to
 * each account's sign-up, tickets follow the account's size. Rows arrive in load order, as loads append them.
 *
 * {@link incrementStatements} adds one later load: new calls over the hours before it (a few late ones from the
 * days before), seat changes with their proration invoices, ticket replies and solves, new tickets and CSAT
 * ratings, Salesforce account edits and new users joining their accounts — about 1% of the history.
 */
import { rawTableDdl } from '../../lambdas/core/load/warehouse-schema.js';

/** The company's size and window. */
export interface CompanyShape {
  /** Raw events of the history (approximately; Segment calls fill what the other sources leave). */
  readonly events: number;
  readonly accounts: number;
  /** Days of product usage before `until`. */
  readonly days: number;
  /** End of the history; load `r` happens `r × loadEveryHours` later. */
  readonly until: Date;
  /** Hours between two incremental loads (their new calls happened in those hours). */
  readonly loadEveryHours: number;
}

/** A company of about `events` raw events: one account per 2,500 events, 90 days of usage. */
export function companyShape(events: number, until = new Date('2026-11-20T00:00:00.000Z')): CompanyShape {
  return { events, accounts: Math.max(20, Math.round(events / 2500)), days: 90, until, loadEveryHours: 12 };
}

/** When incremental load `round` (1, 2, …) happens; round 0 is the end of the history. */
export function loadTime(shape: CompanyShape, round: number): Date {
  return new Date(shape.until.getTime() + round * shape.loadEveryHours * 3_600_000);
}

const ts = (date: Date): string => `TIMESTAMPTZ '${date.toISOString()}'`;
/** A deterministic uniform number in [0, 1) from the values given. */
const rand = (...parts: string[]): string => `((hash(${parts.join(', ')}) % 1000003) / 1000003.0)`;
const iso = (t: string): string => `strftime(${t}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
const isoSeconds = (t: string): string => `strftime(${t}, '%Y-%m-%dT%H:%M:%SZ')`;
const epoch = (t: string): string => `CAST(epoch(${t}) AS BIGINT)`;
const RAW_COLUMNS = '(event_id, event_type, occurred_at, received_at, loaded_at, payload)';

const TRACK_EVENTS = [
  'Signed In',
  'Dashboard Viewed',
  'Report Viewed',
  'Report Created',
  'Report Exported',
  'Query Run',
  'Filter Applied',
  'Dashboard Shared',
  'Alert Created',
  'Integration Connected',
  'Comment Added',
  'Search Performed',
];
const PAGES = ['dashboard', 'reports', 'settings', 'alerts', 'integrations', 'billing', 'team', 'help'];
const USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const PLAN_PRICES = [1900, 3900, 7900];
const PLAN_NAMES = ['Starter', 'Growth', 'Enterprise'];

/** `list[index]` of a SQL list literal of texts. */
const pick = (values: readonly string[], index: string): string =>
  `[${values.map((v) => `'${v}'`).join(', ')}][1 + CAST(${index} AS BIGINT)]`;

/** A Segment call's payload, as the ingest keeps it (call + merged context + sentAt + receivedAt). */
function segmentPayload(c: {
  type: string;
  messageId: string;
  happened: string;
  received: string;
  withGroup: string;
  extra: string;
}): string {
  return `'{"type":"' || ${c.type} || '","messageId":"' || ${c.messageId} || '","userId":"' || u.user_id || '","anonymousId":"' || u.anon || '","timestamp":"' || ${iso(c.happened)} || '","context":{' || CASE WHEN ${c.withGroup} THEN '"groupId":"' || u.account_id || '",' ELSE '' END || '"ip":"203.0.113.' || (u.n % 250) || '","library":{"name":"analytics.js","version":"npm:next-1.72.0"},"locale":"en-US","userAgent":"${USER_AGENT}"' || ${c.extra.startsWith('page:') ? `',"page":{"path":"/' || ${c.extra.slice(5)} || '","referrer":"","title":"' || ${c.extra.slice(5)} || ' · App","url":"https://app.example/' || ${c.extra.slice(5)} || '"}}' || ',"name":"' || ${c.extra.slice(5)} || '","category":"App","properties":{"path":"/' || ${c.extra.slice(5)} || '","title":"' || ${c.extra.slice(5)} || ' · App"}'` : `'}' || ${c.extra}`} || ',"sentAt":"' || ${iso(c.received)} || '","receivedAt":"' || ${iso(c.received)} || '"}'`;
}

/** A uuid-shaped id from `hex`, an md5 computed once (a column, not an expression). */
const uuid = (hex: string): string =>
  `(substr(${hex}, 1, 8) || '-' || substr(${hex}, 9, 4) || '-4' || substr(${hex}, 14, 3) || '-a' || substr(${hex}, 18, 3) || '-' || substr(${hex}, 21, 12))`;

/**
 * Inserts `count` track and page calls by existing users, at times spread over [`from`, `to`) growing towards
 * `to` (usage grows), in time order; `loadedAt` null stamps each with the end of its 5-minute load window.
 */
function segmentCalls(count: number, from: Date, to: Date, salt: string, loadedAt: Date | null): string {
  const spanMs = to.getTime() - from.getTime();
  const at = `(${ts(from)} + to_milliseconds(CAST(${spanMs} * sqrt((i + 0.5) / ${count}) AS BIGINT)))`;
  return `INSERT INTO raw.segment ${RAW_COLUMNS}
WITH calls AS (
  SELECT i, ${at} AS happened, hash(i, '${salt}u') % (SELECT COUNT(*) FROM bench.users) AS n,
    ${rand('i', `'${salt}t'`)} AS r_type, ${rand('i', `'${salt}g'`)} AS r_group, ${rand('i', `'${salt}e'`)} AS r_event,
    md5('${salt}' || i) AS message_hex
  FROM range(${count}) t(i)
),
timed AS (
  SELECT calls.*, ${uuid('message_hex')} AS message_id,
    happened + to_milliseconds(CAST(200 + r_event * 4000 AS BIGINT)) AS received
  FROM calls
)
SELECT
  c.message_id,
  CASE WHEN c.r_type < 0.58 THEN 'track' ELSE 'page' END,
  c.happened,
  c.received,
  ${loadedAt ? ts(loadedAt) : `time_bucket(INTERVAL 5 MINUTE, c.received) + INTERVAL 5 MINUTE`},
  CASE WHEN c.r_type < 0.58 THEN ${segmentPayload({
    type: "'track'",
    messageId: 'c.message_id',
    happened: 'c.happened',
    received: 'c.received',
    withGroup: 'c.r_group >= 0.1',
    extra: `',"event":"' || ${pick(TRACK_EVENTS, `floor(c.r_event * ${TRACK_EVENTS.length})`)} || '","properties":{"source":"web","duration_ms":' || CAST(c.r_event * 900 AS INTEGER) || '}'`,
  })} ELSE ${segmentPayload({
    type: "'page'",
    messageId: 'c.message_id',
    happened: 'c.happened',
    received: 'c.received',
    withGroup: 'c.r_group >= 0.1',
    extra: `page:${pick(PAGES, `floor(c.r_event * ${PAGES.length})`)}`,
  })} END
FROM timed c JOIN bench.users u ON u.n = c.n`;
}

/** Identify and group calls of the users in `bench.users` whose `joined_round` is `round`. */
function segmentJoins(round: number, loadedAt: Date | null): string {
  const salt = `'join${round}'`;
  return `INSERT INTO raw.segment ${RAW_COLUMNS}
WITH joins AS (
  SELECT u.*, kind, md5(${salt} || u.user_id || kind) AS message_hex, u.joined_at AS happened,
    u.joined_at + INTERVAL 1 SECOND AS received
  FROM bench.users u, (VALUES ('identify'), ('group')) k(kind)
  WHERE u.joined_round = ${round}
)
SELECT ${uuid('message_hex')} AS message_id, kind, happened, received,
  ${loadedAt ? ts(loadedAt) : `time_bucket(INTERVAL 5 MINUTE, received) + INTERVAL 5 MINUTE`},
  CASE kind WHEN 'identify' THEN ${segmentPayload({
    type: "'identify'",
    messageId: uuid('message_hex'),
    happened: 'happened',
    received: 'received',
    withGroup: 'TRUE',
    extra: `',"traits":{"email":"' || u.user_id || '@' || u.domain || '","name":"User ' || u.user_id || '","role":"member"}'`,
  })} ELSE ${segmentPayload({
    type: "'group'",
    messageId: uuid('message_hex'),
    happened: 'happened',
    received: 'received',
    withGroup: 'TRUE',
    extra: `',"groupId":"' || u.account_id || '","traits":{"name":"' || u.account_name || '","website":"https://' || u.domain || '","plan":"Growth"}'`,
  })} END
FROM joins u
ORDER BY happened`;
}

/** A Stripe event's envelope around `object` (a SQL text expression). */
const stripeEvent = (s: string, object: string, extra = "''"): string =>
  `'{"id":"' || ${s}.event_id || '","object":"event","api_version":"2024-06-20","created":' || ${epoch(`${s}.happened`)} || ',"data":{"object":' || ${object} || ${extra} || '},"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"' || ${s}.event_type || '"}'`;

function stripePayload(s: string): string {
  const price = `'{"id":"price_' || ${s}.plan_name || 'Monthly","object":"price","active":true,"billing_scheme":"per_unit","currency":"usd","product":"prod_' || ${s}.plan_name || '","recurring":{"interval":"month","interval_count":1,"usage_type":"licensed"},"type":"recurring","unit_amount":' || ${s}.unit_amount || ',"unit_amount_decimal":"' || ${s}.unit_amount || '"}'`;
  const customer = `'{"id":"' || ${s}.customer_id || '","object":"customer","address":{"city":null,"country":"US","line1":null},"balance":0,"created":' || ${epoch(`${s}.signup_at`)} || ',"currency":"usd","delinquent":false,"description":"' || ${s}.account_name || '","email":"billing@' || ${s}.domain || '","invoice_prefix":"' || upper(substr(${s}.customer_id, 5, 8)) || '","livemode":false,"metadata":{"account_id":"' || ${s}.account_id || '"},"name":"' || ${s}.account_name || '","phone":null,"preferred_locales":["en"],"tax_exempt":"none"}'`;
  const subscription = `'{"id":"' || ${s}.subscription_id || '","object":"subscription","billing_cycle_anchor":' || ${epoch(`${s}.signup_at`)} || ',"cancel_at":null,"cancel_at_period_end":false,"canceled_at":' || CASE WHEN ${s}.status = 'canceled' THEN CAST(${epoch(`${s}.happened`)} AS VARCHAR) ELSE 'null' END || ',"collection_method":"charge_automatically","created":' || ${epoch(`${s}.signup_at`)} || ',"currency":"usd","current_period_end":' || ${epoch(`${s}.period_end`)} || ',"current_period_start":' || ${epoch(`${s}.period_start`)} || ',"customer":"' || ${s}.customer_id || '","items":{"object":"list","data":[{"id":"si_' || substr(${s}.subscription_id, 5, 14) || '","object":"subscription_item","metadata":{},"price":' || ${price} || ',"quantity":' || ${s}.quantity || ',"subscription":"' || ${s}.subscription_id || '"}],"has_more":false,"total_count":1},"plan":{"id":"price_' || ${s}.plan_name || 'Monthly","object":"plan","active":true,"amount":' || ${s}.unit_amount || ',"currency":"usd","interval":"month","interval_count":1},"quantity":' || ${s}.quantity || ',"livemode":false,"metadata":{"account_id":"' || ${s}.account_id || '"},"start_date":' || ${epoch(`${s}.signup_at`)} || ',"status":"' || ${s}.status || '","trial_end":null,"trial_start":null}'`;
  const invoice = `'{"id":"' || ${s}.invoice_id || '","object":"invoice","account_country":"US","account_name":"Sluice Bench SaaS, Inc.","amount_due":' || ${s}.amount || ',"amount_paid":' || CASE WHEN ${s}.invoice_status = 'paid' THEN ${s}.amount ELSE 0 END || ',"amount_remaining":' || CASE WHEN ${s}.invoice_status = 'paid' THEN 0 ELSE ${s}.amount END || ',"attempt_count":1,"billing_reason":"subscription_cycle","collection_method":"charge_automatically","created":' || ${epoch(`${s}.happened`)} || ',"currency":"usd","customer":"' || ${s}.customer_id || '","customer_email":"billing@' || ${s}.domain || '","customer_name":"' || ${s}.account_name || '","lines":{"object":"list","data":[{"id":"il_' || substr(${s}.invoice_id, 4, 20) || '","object":"line_item","amount":' || ${s}.amount || ',"currency":"usd","description":"' || ${s}.quantity || ' × ' || ${s}.plan_name || ' monthly","period":{"start":' || ${epoch(`${s}.period_start`)} || ',"end":' || ${epoch(`${s}.period_end`)} || '},"price":' || ${price} || ',"quantity":' || ${s}.quantity || ',"subscription":"' || ${s}.subscription_id || '","type":"subscription"}],"has_more":false,"total_count":1},"livemode":false,"metadata":{},"paid":' || CASE WHEN ${s}.invoice_status = 'paid' THEN 'true' ELSE 'false' END || ',"period_end":' || ${epoch(`${s}.period_end`)} || ',"period_start":' || ${epoch(`${s}.period_start`)} || ',"status":"' || ${s}.invoice_status || '","subscription":"' || ${s}.subscription_id || '","subtotal":' || ${s}.amount || ',"total":' || ${s}.amount || '}'`;
  const charge = `'{"id":"ch_' || substr(${s}.invoice_id, 4, 20) || '","object":"charge","amount":' || ${s}.amount || ',"amount_captured":' || ${s}.amount || ',"captured":true,"created":' || ${epoch(`${s}.happened`)} || ',"currency":"usd","customer":"' || ${s}.customer_id || '","invoice":"' || ${s}.invoice_id || '","paid":true,"status":"succeeded","outcome":{"network_status":"approved_by_network","risk_level":"normal","seller_message":"Payment complete.","type":"authorized"}}'`;
  return `CASE
    WHEN ${s}.event_type LIKE 'customer.subscription.%' THEN ${stripeEvent(s, subscription)}
    WHEN ${s}.event_type LIKE 'customer.%' THEN ${stripeEvent(s, customer)}
    WHEN ${s}.event_type LIKE 'invoice.%' THEN ${stripeEvent(s, invoice)}
    ELSE ${stripeEvent(s, charge)}
  END`;
}

/** Inserts the Stripe events described by `spec` (a query over `bench.accounts a` with the spec columns). */
function stripeInsert(spec: string, loadedAt: Date | null): string {
  return `INSERT INTO raw.stripe ${RAW_COLUMNS}
WITH spec AS (${spec}),
s AS (
  SELECT spec.*, a.account_id, a.account_name, a.domain, a.customer_id, a.subscription_id, a.signup_at,
    ${pick(PLAN_NAMES, 'a.plan')} AS plan_name, ${PLAN_PRICES.map((p, i) => `CASE WHEN a.plan = ${i} THEN ${p} ELSE 0 END`).join(' + ')} AS unit_amount,
    spec.quantity * (${PLAN_PRICES.map((p, i) => `CASE WHEN a.plan = ${i} THEN ${p} ELSE 0 END`).join(' + ')}) AS amount,
    'evt_' || substr(md5(spec.tag || '/' || spec.event_type), 1, 24) AS event_id,
    spec.happened + to_milliseconds(CAST(300 + ${rand('spec.tag', 'spec.event_type')} * 3000 AS BIGINT)) AS received
  FROM spec JOIN bench.accounts a ON a.a = spec.a
)
SELECT s.event_id, s.event_type, s.happened, s.received,
  ${loadedAt ? ts(loadedAt) : `time_bucket(INTERVAL 5 MINUTE, s.received) + INTERVAL 5 MINUTE`},
  ${stripePayload('s')}
FROM s
ORDER BY s.received`;
}

/** Every account's billing since sign-up: a renewal a month, seat counts drifting with the account's trend. */
function stripeHistory(shape: CompanyShape): string {
  const until = ts(shape.until);
  return stripeInsert(
    `WITH renewals AS (
      SELECT a.a, m, a.signup_at + to_months(CAST(m AS INTEGER)) AS happened,
        a.signup_at + to_months(CAST(m AS INTEGER)) AS period_start,
        a.signup_at + to_months(CAST(m + 1 AS INTEGER)) AS period_end,
        GREATEST(1, a.seats + CAST(floor(m / 3) AS INTEGER) * (a.a % 3 - 1)) AS quantity,
        a.churns AND m = a.months - 1 AND m >= 2 AS churn,
        'inv' || a.a || '_' || m AS invoice_key
      FROM bench.accounts a, unnest(range(0, a.months)) r(m)
    ),
    kinds(kind, seq) AS (VALUES ('customer.created', 0), ('customer.subscription.created', 1),
      ('customer.subscription.updated', 1), ('customer.subscription.deleted', 1), ('invoice.created', 2),
      ('invoice.finalized', 3), ('charge.succeeded', 4), ('invoice.paid', 5), ('invoice.payment_succeeded', 6))
    SELECT r.a, kinds.kind AS event_type, r.happened, r.period_start, r.period_end, r.quantity,
      CASE WHEN r.churn THEN 'canceled' ELSE 'active' END AS status,
      'in_' || substr(md5(r.invoice_key), 1, 24) AS invoice_id,
      CASE kinds.kind WHEN 'invoice.created' THEN 'draft' WHEN 'invoice.finalized' THEN 'open' ELSE 'paid' END AS invoice_status,
      'h' || r.a || '/' || r.m AS tag
    FROM renewals r, kinds
    WHERE r.happened <= ${until}
      AND CASE kinds.kind
        WHEN 'customer.created' THEN r.m = 0
        WHEN 'customer.subscription.created' THEN r.m = 0
        WHEN 'customer.subscription.updated' THEN r.m > 0 AND NOT r.churn
        WHEN 'customer.subscription.deleted' THEN r.churn
        ELSE NOT r.churn
      END`,
    null,
  );
}

/** Seat changes of ~1% of the accounts in round `round`, each with its subscription update and proration invoice. */
function stripeRound(shape: CompanyShape, round: number): string {
  const load = loadTime(shape, round);
  return stripeInsert(
    `WITH changed AS (
      SELECT a.a, ${ts(load)} - to_milliseconds(CAST(${rand('a.a', `'seat${round}'`)} * ${shape.loadEveryHours * 3_600_000} AS BIGINT)) AS happened,
        a.signup_at + to_months(CAST(a.months - 1 AS INTEGER)) AS period_start,
        a.signup_at + to_months(CAST(a.months AS INTEGER)) AS period_end,
        GREATEST(1, a.seats + CAST(floor((a.months - 1) / 3) AS INTEGER) * (a.a % 3 - 1)) + 1 + ${round} AS quantity
      FROM bench.accounts a
      WHERE NOT a.churns AND ${rand('a.a', `'seatpick${round}'`)} < 0.01
    ),
    kinds(kind) AS (VALUES ('customer.subscription.updated'), ('invoice.created'), ('invoice.finalized'), ('charge.succeeded'), ('invoice.paid'))
    SELECT c.a, kinds.kind AS event_type, c.happened, c.period_start, c.period_end, c.quantity, 'active' AS status,
      'in_' || substr(md5('prorate' || c.a || '_' || ${round}), 1, 24) AS invoice_id,
      CASE kinds.kind WHEN 'invoice.created' THEN 'draft' WHEN 'invoice.finalized' THEN 'open' ELSE 'paid' END AS invoice_status,
      'r${round}/' || c.a AS tag
    FROM changed c, kinds`,
    load,
  );
}

function zendeskTicketPayload(t: string): string {
  return `'{"account_id":24681357,"detail":{"actor_id":"' || ${t}.actor || '","assignee_id":' || CASE WHEN ${t}.kind = 'created' THEN 'null' ELSE '"3812345000' || (${t}.ticket_id % 20) || '"' END || ',"brand_id":"360002783572","created_at":"' || ${isoSeconds(`${t}.created_at`)} || '","custom_status":null,"description":"Question about ' || ${t}.topic || '. Reported by a user of ' || ${t}.account_name || '.","external_id":null,"form_id":"360003096012","group_id":"98738","id":"' || ${t}.ticket_id || '","is_public":true,"organization_id":"' || ${t}.org_id || '","priority":"' || ${t}.priority || '","requester_id":"' || ${t}.requester || '","status":"' || ${t}.status || '","subject":"Question about ' || ${t}.topic || '","submitter_id":"' || ${t}.requester || '","tags":["' || ${t}.topic || '"],"type":"QUESTION","updated_at":"' || ${isoSeconds(`${t}.happened`)} || '","via":{"channel":"web_form"}},"event":{' || CASE ${t}.kind WHEN 'comment_added' THEN '"comment":{"id":"' || ${t}.ticket_id || ${t}.step || '","body":"Thanks for reaching out, here is what we found.","is_public":true,"author":{"id":"3812345000' || (${t}.ticket_id % 20) || '","is_staff":true,"name":"Agent ' || (${t}.ticket_id % 20) || '"}},' WHEN 'status_changed' THEN '"current":"' || ${t}.status || '","previous":"' || ${t}.previous || '",' ELSE '' END || '"meta":{"sequence":{"id":"' || upper(substr(md5(${t}.event_id), 1, 16)) || '","position":1,"total":1}}},"id":"' || ${t}.event_id || '","subject":"zen:ticket:' || ${t}.ticket_id || '","time":"' || ${iso(`${t}.happened`)} || '","type":"zen:event-type:ticket.' || ${t}.kind || '","zendesk_event_version":"2022-11-06"}'`;
}

/**
 * Inserts ticket events from `spec` (ticket_id, a, created_at, step, kind, status, previous, at, tag) and a CSAT
 * trigger webhook for its `csat` rows.
 */
function zendeskInsert(spec: string, loadedAt: Date | null): string {
  const topics = ['billing', 'integrations', 'alerts', 'reports', 'access', 'performance'];
  return `INSERT INTO raw.zendesk ${RAW_COLUMNS}
WITH spec AS (${spec}),
t AS (
  SELECT spec.*, a.org_id, a.account_id, a.account_name,
    upper(substr(md5('zd' || spec.tag || spec.kind || spec.step), 1, 26)) AS event_id,
    '60729735' || lpad(CAST(spec.ticket_id % 100000 AS VARCHAR), 5, '0') AS requester, '3812345000' || (spec.ticket_id % 20) AS actor,
    ${pick(topics, `spec.ticket_id % ${topics.length}`)} AS topic,
    CASE WHEN spec.ticket_id % 9 = 0 THEN 'high' ELSE 'normal' END AS priority,
    spec.happened + INTERVAL 2 SECOND AS received
  FROM spec JOIN bench.accounts a ON a.a = spec.a
)
SELECT
  CASE WHEN t.kind = 'csat' THEN 'sha256:' || md5(t.event_id) || md5(t.tag) ELSE t.event_id END,
  CASE WHEN t.kind = 'csat' THEN 'ticket.webhook' ELSE 'zen:event-type:ticket.' || t.kind END,
  t.happened, t.received,
  ${loadedAt ? ts(loadedAt) : `time_bucket(INTERVAL 5 MINUTE, t.received) + INTERVAL 5 MINUTE`},
  CASE WHEN t.kind = 'csat'
    THEN '{"ticket":{"id":' || t.ticket_id || ',"status":"solved","organization_external_id":"' || t.account_id || '","requester_id":' || t.requester || ',"satisfaction":"' || CASE WHEN t.ticket_id % 5 = 0 THEN 'bad' ELSE 'good' END || '","satisfaction_comment":null,"updated_at":"' || ${isoSeconds('t.happened')} || '"}}'
    ELSE ${zendeskTicketPayload('t')}
  END
FROM t
ORDER BY t.received`;
}

/** The steps of a ticket's life: created, assigned, opened, answered, solved (unless recent), rated (half). */
const TICKET_STEPS = `(VALUES
  (0, 'created', 'NEW', '', 0),
  (1, 'agent_assignment_changed', 'NEW', '', 1200),
  (2, 'status_changed', 'OPEN', 'NEW', 1200),
  (3, 'comment_added', 'OPEN', '', 7200),
  (4, 'status_changed', 'SOLVED', 'OPEN', 86400),
  (5, 'csat', 'SOLVED', '', 90000)
) steps(step, kind, status, previous, after_s)`;

function zendeskHistory(shape: CompanyShape): string {
  return zendeskInsert(
    `WITH tickets AS (
      SELECT a.a, 100000 + a.a * 100 + j AS ticket_id,
        ${ts(shape.until)} - to_seconds(CAST(${rand('a.a', 'j', "'tk'")} * 180 * 86400 AS BIGINT)) AS created_at
      FROM bench.accounts a, unnest(range(0, 1 + a.users // 8)) r(j)
    )
    SELECT t.ticket_id, t.a, t.created_at, steps.step, steps.kind, steps.status, steps.previous,
      t.created_at + to_seconds(steps.after_s) AS happened, 'h' || t.ticket_id AS tag
    FROM tickets t, ${TICKET_STEPS}
    WHERE t.created_at + to_seconds(steps.after_s) <= ${ts(shape.until)}
      AND (steps.kind <> 'csat' OR t.ticket_id % 2 = 0)`,
    null,
  );
}

/** Round `round`: new tickets of ~1% of the accounts, and solves (with some CSAT) of ~3% of the others. */
function zendeskRound(shape: CompanyShape, round: number): string {
  const load = loadTime(shape, round);
  const within = (salt: string): string =>
    `${ts(load)} - to_milliseconds(CAST(${rand('a.a', `'${salt}${round}'`)} * ${shape.loadEveryHours * 3_600_000} AS BIGINT))`;
  return zendeskInsert(
    `SELECT 900000 + a.a * 10 + ${round} AS ticket_id, a.a, ${within('new')} AS created_at, steps.step, steps.kind,
        steps.status, steps.previous, ${within('new')} + to_seconds(steps.after_s) AS happened, 'r${round}n' || a.a AS tag
      FROM bench.accounts a, ${TICKET_STEPS}
      WHERE ${rand('a.a', `'newticket${round}'`)} < 0.01 AND steps.step <= 2
    UNION ALL
    SELECT 100000 + a.a * 100 AS ticket_id, a.a, ${within('old')} - INTERVAL 3 DAY AS created_at, steps.step, steps.kind,
        steps.status, steps.previous, ${within('old')} + to_seconds(steps.after_s - 90000) AS happened, 'r${round}o' || a.a AS tag
      FROM bench.accounts a, ${TICKET_STEPS}
      WHERE ${rand('a.a', `'solve${round}'`)} < 0.03 AND steps.step >= 3`,
    load,
  );
}

function organizationsHistory(): string {
  return `INSERT INTO raw.zendesk ${RAW_COLUMNS}
SELECT upper(substr(md5('org' || a.a), 1, 26)), 'zen:event-type:organization.created', a.signup_at,
  a.signup_at + INTERVAL 2 SECOND, time_bucket(INTERVAL 5 MINUTE, a.signup_at) + INTERVAL 5 MINUTE,
  '{"account_id":24681357,"detail":{"created_at":"' || ${isoSeconds('a.signup_at')} || '","external_id":"' || a.account_id || '","group_id":null,"id":"' || a.org_id || '","name":"' || a.account_name || '","shared_comments":false,"shared_tickets":false,"updated_at":"' || ${isoSeconds('a.signup_at')} || '"},"event":{"meta":{"sequence":{"id":"' || upper(substr(md5('orgseq' || a.a), 1, 16)) || '","position":1,"total":1}}},"id":"' || upper(substr(md5('org' || a.a), 1, 26)) || '","subject":"zen:organization:' || a.org_id || '","time":"' || ${iso('a.signup_at')} || '","type":"zen:event-type:organization.created","zendesk_event_version":"2022-11-06"}'
FROM bench.accounts a
ORDER BY a.signup_at`;
}

/** Salesforce Account notifications (at sign-up, and edits) and a won opportunity per account. */
function salesforceInsert(where: string, at: string, salt: string, loadedAt: Date | null): string {
  const header =
    '"OrganizationId":"00D5j00000SiMuLEAV","ActionId":"04k5j000000BenchAAA","EnterpriseUrl":"https://bench.my.salesforce.com/services/Soap/c/60.0/00D5j00000SiMuL"';
  const fields = (f: string[]): string => f.join(" || ',' || ");
  const account = fields([
    `'"Id":"' || a.sf_id || '"'`,
    `'"Name":"' || a.account_name || '"'`,
    `'"Type":"Customer - Direct"'`,
    `'"Industry":"Software"'`,
    `'"Website":"https://' || a.domain || '"'`,
    `'"NumberOfEmployees":"' || (a.users * 12 + ${salt.length}) || '"'`,
    `'"AnnualRevenue":"' || (a.users * 250000) || '.0"'`,
    `'"App_Account_Id__c":"' || a.account_id || '"'`,
    `'"CreatedDate":"' || ${iso('a.signup_at')} || '"'`,
    `'"LastModifiedDate":"' || ${iso('n.happened')} || '"'`,
    `'"SystemModstamp":"' || ${iso('n.happened')} || '"'`,
    `'"IsDeleted":"false"'`,
  ]);
  const opportunity = fields([
    `'"Id":"006' || upper(substr(md5('opp' || a.a || '${salt}'), 1, 15)) || '"'`,
    `'"AccountId":"' || a.sf_id || '"'`,
    `'"Name":"' || a.account_name || ' — New Business"'`,
    `'"Type":"New Business"'`,
    `'"StageName":"Closed Won"'`,
    `'"Amount":"' || (a.seats * 468) || '.00"'`,
    `'"Probability":"100.0"'`,
    `'"CloseDate":"' || strftime(n.happened, '%Y-%m-%d') || '"'`,
    `'"IsClosed":"true"'`,
    `'"IsWon":"true"'`,
    `'"LastModifiedDate":"' || ${iso('n.happened')} || '"'`,
  ]);
  return `INSERT INTO raw.salesforce ${RAW_COLUMNS}
WITH n AS (SELECT a.a, ${at} AS happened, kind FROM bench.accounts a, (VALUES ('account'), ('opportunity')) k(kind) WHERE ${where})
SELECT '04l' || upper(substr(md5('sf' || n.a || n.kind || '${salt}'), 1, 15)), n.kind || '.outbound_message', n.happened,
  n.happened + INTERVAL 3 SECOND, ${loadedAt ? ts(loadedAt) : `time_bucket(INTERVAL 5 MINUTE, n.happened) + INTERVAL 5 MINUTE`},
  '{${header},"NotificationId":"04l' || upper(substr(md5('sf' || n.a || n.kind || '${salt}'), 1, 15)) || '","sObjectType":"' || CASE n.kind WHEN 'account' THEN 'Account' ELSE 'Opportunity' END || '","sObject":{' || CASE n.kind WHEN 'account' THEN ${account} ELSE ${opportunity} END || '}}'
FROM n JOIN bench.accounts a ON a.a = n.a
ORDER BY n.happened`;
}

/** Statements that create `bench.accounts` / `bench.users` and write the history into the four raw tables. */
export function historyStatements(shape: CompanyShape): string[] {
  const windowStart = new Date(shape.until.getTime() - shape.days * 86_400_000);
  const until = ts(shape.until);
  return [
    'CREATE SCHEMA IF NOT EXISTS bench',
    `CREATE OR REPLACE TABLE bench.accounts AS
      SELECT a, 'acc_' || lpad(CAST(a AS VARCHAR), 6, '0') AS account_id, 'Company ' || a AS account_name,
        'company' || a || '.example' AS domain, 'cus_' || substr(md5('cus' || a), 1, 14) AS customer_id,
        'sub_' || substr(md5('sub' || a), 1, 24) AS subscription_id, '001' || upper(substr(md5('sf' || a), 1, 15)) AS sf_id,
        CAST(900000000000 + a AS VARCHAR) AS org_id, 3 + (a * 7) % 40 AS users, a % 3 AS plan, 3 + (a * 7) % 40 + a % 5 AS seats,
        ${ts(windowStart)} - to_seconds(CAST(86400 * (5 + (a * 37) % 700) + (a * 7919) % 86400 AS BIGINT)) AS signup_at,
        a % 25 = 3 AS churns
      FROM range(${shape.accounts}) t(a)`,
    `CREATE OR REPLACE TABLE bench.accounts AS
      SELECT *, CAST(date_diff('month', signup_at, ${until}) AS INTEGER) + 1 AS months FROM bench.accounts`,
    `CREATE OR REPLACE TABLE bench.users AS
      SELECT CAST(row_number() OVER (ORDER BY a.a, k) - 1 AS BIGINT) AS n, a.a, a.account_id, a.account_name, a.domain,
        'usr_' || a.a || '_' || k AS user_id, md5('anon' || a.a || '_' || k) AS anon,
        a.signup_at + to_seconds(CAST(k * 3600 AS BIGINT)) AS joined_at, 0 AS joined_round
      FROM bench.accounts a, unnest(range(0, a.users)) r(k)`,
    'CREATE SCHEMA IF NOT EXISTS raw',
    ...['segment', 'stripe', 'zendesk', 'salesforce'].map((source) => rawTableDdl('duckdb', source)),
    stripeHistory(shape),
    organizationsHistory(),
    zendeskHistory(shape),
    salesforceInsert('TRUE', 'a.signup_at', 'h', null),
    salesforceInsert(
      `${rand('a.a', "'sfedit'")} < 0.5`,
      `${ts(windowStart)} + to_seconds(CAST(${rand('a.a', "'sfat'")} * ${shape.days} * 86400 AS BIGINT))`,
      'e',
      null,
    ),
    segmentJoins(0, null),
  ];
}

/** The Segment calls of the history: what is left of `shape.events` after the other sources (run last). */
export function historyCallsStatement(shape: CompanyShape, rowsSoFar: number): string {
  const windowStart = new Date(shape.until.getTime() - shape.days * 86_400_000);
  return segmentCalls(Math.max(0, shape.events - rowsSoFar), windowStart, shape.until, 'h', null);
}

/**
 * Statements of incremental load `round` (1, 2, …): ~1% of `shape.events` new raw events, all stamped with the
 * load's `loaded_at`. Most calls happened in the hours since the last load, 5% in the two days before.
 */
export function incrementStatements(shape: CompanyShape, round: number): string[] {
  const load = loadTime(shape, round);
  const since = loadTime(shape, round - 1);
  const calls = Math.round(shape.events * 0.01 * 0.97);
  const late = Math.round(calls * 0.05);
  const newUsers = Math.max(2, Math.round(shape.accounts * 0.01));
  return [
    `INSERT INTO bench.users
      SELECT (SELECT COUNT(*) FROM bench.users) + i, a.a, a.account_id, a.account_name, a.domain,
        'usr_' || a.a || '_r${round}_' || i, md5('anon${round}_' || i),
        ${ts(load)} - to_seconds(CAST(3600 + i * 60 AS BIGINT)), ${round}
      FROM range(${newUsers}) t(i) JOIN bench.accounts a ON a.a = (i * 7919 + ${round}) % ${shape.accounts}`,
    segmentJoins(round, load),
    segmentCalls(calls - late, since, load, `r${round}`, load),
    segmentCalls(late, new Date(since.getTime() - 2 * 86_400_000), since, `l${round}`, load),
    stripeRound(shape, round),
    zendeskRound(shape, round),
    salesforceInsert(
      `${rand('a.a', `'sfr${round}'`)} < 0.005`,
      `${ts(load)} - INTERVAL 1 HOUR`,
      `r${round}`,
      load,
    ),
  ];
}
