/* global document, queueMicrotask */
/** Renders each panel of the snapshot (`GET /dashboard/api/snapshot`) into its card. */
import { bandChart, pruneCharts, sparkline } from './charts.js';
import { dagSvg } from './dag.js';
import { empty, fill, h, pill, table } from './dom.js';
import { ago, bytes, clock, count, duration, minutes, rate } from './format.js';

const num = (text, attrs = {}) => h('td', { class: 'num', ...attrs }, text);
const time = (iso) => h('time', { datetime: iso ?? '', title: iso ?? '' }, iso ? ago(iso) : 'never');

/** A panel that failed to read shows its reason; returns its data otherwise. */
function dataOf(panel, id) {
  if (panel && panel.ok) return panel.data;
  fill(id, h('p', { class: 'panel-error' }, `could not read: ${panel ? panel.error : 'no data'}`));
  return undefined;
}

function kpi(id, label, value, detail, status) {
  return h(
    'div',
    { class: `kpi${status ? ` kpi-${status}` : ''}`, 'data-testid': `kpi-${id}` },
    h('div', { class: 'kpi-label' }, label),
    h('div', { class: 'kpi-value', 'data-testid': `kpi-${id}-value` }, value),
    h('div', { class: 'kpi-detail' }, detail),
  );
}

function renderKpis(snap) {
  const sources = snap.sources.ok ? snap.sources.data.sources : [];
  const pipeline = snap.pipeline.ok ? snap.pipeline.data : undefined;
  const lastRun = snap.models.ok ? snap.models.data.runs[0] : undefined;
  const lastSync = snap.syncs.ok ? snap.syncs.data.runs[0] : undefined;
  const fresh = snap.freshness.ok ? snap.freshness.data : [];
  const stale = fresh.filter((f) => f.status === 'warn' || f.status === 'error').length;
  const openAlerts = snap.alerts.ok ? snap.alerts.data.open : 0;
  const anomalies = snap.anomalies.ok ? snap.anomalies.data.filter((a) => a.status === 'anomaly').length : 0;
  fill(
    'kpis',
    kpi(
      'events',
      'Events / min',
      rate(sources.reduce((n, s) => n + s.eventsPerMinute, 0)),
      `${sources.length} sources`,
    ),
    kpi('rows', 'Rows in raw', count(sources.reduce((n, s) => n + s.rows, 0)), 'loaded, deduplicated'),
    kpi(
      'queue',
      'Queue',
      pipeline ? count(pipeline.queue.visible + pipeline.queue.inFlight) : '–',
      pipeline
        ? `${count(pipeline.queue.dead)} dead-lettered · ${count(pipeline.unloadedFiles)} files to load`
        : '',
      pipeline && pipeline.queue.dead > 0 ? 'error' : undefined,
    ),
    kpi(
      'last-model-run',
      'Last model run',
      lastRun ? lastRun.status : 'none yet',
      lastRun
        ? `${lastRun.succeeded}/${lastRun.models} built · ${ago(lastRun.finishedAt)}`
        : 'models run after each load',
      lastRun ? (lastRun.status === 'success' ? 'ok' : 'error') : undefined,
    ),
    kpi(
      'last-sync',
      'Last sync',
      lastSync ? lastSync.status : 'none yet',
      lastSync
        ? `${lastSync.sync} · ${count(lastSync.sent)} sent · ${ago(lastSync.startedAt)}`
        : 'syncs run after models',
      lastSync
        ? lastSync.status === 'succeeded'
          ? 'ok'
          : lastSync.status === 'dry_run'
            ? undefined
            : 'warn'
        : undefined,
    ),
    kpi(
      'stale',
      'Stale tables',
      count(stale),
      `of ${fresh.length} with an SLA`,
      stale > 0 ? 'warn' : fresh.length ? 'ok' : undefined,
    ),
    kpi(
      'alerts',
      'Open alerts',
      count(openAlerts),
      `${anomalies} anomalous series`,
      openAlerts > 0 ? 'error' : 'ok',
    ),
  );
}

function renderSources(panel) {
  const data = dataOf(panel, 'sources-body');
  if (!data) return;
  if (data.sources.length === 0)
    return void fill('sources-body', empty('No sources configured or loaded yet.'));
  const rows = data.sources.map((src) => {
    const spark = h('div', { class: 'spark' });
    const row = h(
      'tr',
      { 'data-testid': `source-${src.source}` },
      h('td', {}, h('strong', {}, src.source), h('div', { class: 'sub' }, src.kind ?? 'not in config')),
      num(rate(src.eventsPerMinute), { 'data-testid': `source-rate-${src.source}` }),
      h('td', { class: 'spark-cell' }, spark),
      num(count(src.rows), { 'data-testid': `source-rows-${src.source}`, 'data-value': src.rows }),
      h('td', {}, time(src.lastReceivedAt)),
      h('td', {}, time(src.lastLoadedAt)),
    );
    queueMicrotask(() => sparkline(`spark-${src.source}`, spark, src.perMinute));
    return row;
  });
  const rejected = Object.entries(data.rejectedLastHour);
  fill(
    'sources-body',
    table(
      [
        'Source',
        { text: 'Events/min', attrs: { class: 'num' } },
        'Last hour',
        { text: 'Rows', attrs: { class: 'num' } },
        'Last received',
        'Last loaded',
      ],
      rows,
      { class: 'data', 'data-testid': 'sources-table' },
    ),
    rejected.length > 0
      ? h(
          'p',
          { class: 'note warn' },
          `Refused in the last hour: ${rejected.map(([r, n]) => `${count(n)} × ${r}`).join(', ')}`,
        )
      : null,
  );
}

function renderPipeline(panel) {
  const data = dataOf(panel, 'pipeline-body');
  if (!data) return;
  const stat = (label, value, testid, status) =>
    h(
      'div',
      { class: `stat${status ? ` stat-${status}` : ''}` },
      h('span', {}, label),
      h('strong', { 'data-testid': testid }, value),
    );
  fill(
    'pipeline-body',
    h(
      'div',
      { class: 'stats' },
      stat('Waiting in queue', count(data.queue.visible), 'queue-visible'),
      stat('In flight', count(data.queue.inFlight), 'queue-inflight'),
      stat('Dead-lettered', count(data.queue.dead), 'queue-dead', data.queue.dead > 0 ? 'error' : undefined),
      stat(
        'Landing files not loaded',
        `${count(data.unloadedFiles)} (${bytes(data.unloadedBytes)})`,
        'landing-backlog',
      ),
    ),
    data.tables.length === 0
      ? empty('Nothing loaded yet.')
      : table(
          ['Table', { text: 'Files', attrs: { class: 'num' } }, 'Last load'],
          data.tables.map((t) =>
            h('tr', {}, h('td', {}, t.table), num(count(t.files)), h('td', {}, time(t.lastLoadedAt))),
          ),
          { class: 'data compact' },
        ),
  );
}

function renderFreshness(panel) {
  const data = dataOf(panel, 'freshness-body');
  if (!data) return;
  if (data.length === 0)
    return void fill('freshness-body', empty('No freshness SLAs (monitors.freshness) configured.'));
  fill(
    'freshness-body',
    data.map((f) => {
      const share = f.minutes === null ? 1 : Math.min(1, f.minutes / f.errorAfterMinutes);
      const warnAt = f.warnAfterMinutes / f.errorAfterMinutes;
      const bar = h(
        'div',
        { class: 'meter' },
        h('div', { class: `meter-fill meter-${f.status}` }),
        h('div', { class: 'meter-mark' }),
      );
      bar.firstChild.style.width = `${Math.round(share * 100)}%`;
      bar.lastChild.style.left = `${Math.round(warnAt * 100)}%`;
      return h(
        'div',
        { class: 'fresh', 'data-testid': `freshness-${f.table}` },
        h(
          'div',
          { class: 'fresh-head' },
          h('strong', {}, f.table),
          pill(f.status, f.status === 'no_data' ? 'no data' : f.status),
        ),
        bar,
        h(
          'div',
          { class: 'sub' },
          f.minutes === null ? `no rows yet` : `${minutes(f.minutes)} since last ${f.column}`,
          ` · warn ${minutes(f.warnAfterMinutes)} · error ${minutes(f.errorAfterMinutes)}`,
        ),
      );
    }),
  );
}

function renderModels(panel) {
  const data = dataOf(panel, 'models-dag');
  if (!data) return;
  const states = new Map(data.models.map((m) => [m.model, m]));
  fill(
    'models-dag',
    data.dag.error
      ? h('p', { class: 'panel-error' }, `models do not compile: ${data.dag.error}`)
      : data.dag.nodes.length === 0
        ? empty('No models folder.')
        : h('div', { class: 'dag-scroll' }, dagSvg(data.dag, states)),
    h(
      'div',
      { class: 'legend' },
      ['source', 'success', 'error', 'skipped', 'never', 'ephemeral'].map((k) =>
        h('span', { class: `legend-item dag-${k}` }, h('i', {}), k === 'never' ? 'not built yet' : k),
      ),
    ),
  );
  fill(
    'models-runs',
    h('h3', {}, 'Runs'),
    data.runs.length === 0
      ? empty('No model run yet: models run after every load that inserts rows.')
      : table(
          [
            'Run',
            'Status',
            { text: 'Built', attrs: { class: 'num' } },
            { text: 'Failed', attrs: { class: 'num' } },
            { text: 'Rows', attrs: { class: 'num' } },
            { text: 'Took', attrs: { class: 'num' } },
            'Finished',
          ],
          data.runs.map((r, i) =>
            h(
              'tr',
              { 'data-testid': i === 0 ? 'model-run-latest' : undefined },
              h('td', { class: 'mono' }, r.runId.slice(0, 22)),
              h('td', { 'data-testid': i === 0 ? 'model-run-latest-status' : undefined }, pill(r.status)),
              num(`${r.succeeded}/${r.models}`),
              num(count(r.failed)),
              num(count(r.rows)),
              num(duration(r.durationMs)),
              h('td', {}, time(r.finishedAt)),
            ),
          ),
          { class: 'data compact' },
        ),
  );
  const failing = data.models.filter((m) => m.status !== 'success');
  fill(
    'models-states',
    h('h3', {}, failing.length > 0 ? 'Models not built by their latest run' : 'Slowest models'),
    data.models.length === 0
      ? empty('Nothing built yet.')
      : table(
          [
            'Model',
            'Status',
            { text: 'Rows', attrs: { class: 'num' } },
            { text: 'Took', attrs: { class: 'num' } },
          ],
          (failing.length > 0
            ? failing
            : [...data.models].sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0)).slice(0, 8)
          ).map((m) =>
            h(
              'tr',
              {},
              h('td', { class: 'mono', title: m.error ?? '' }, m.relation ?? m.model),
              h('td', {}, pill(m.status)),
              num(count(m.rows)),
              num(duration(m.durationMs)),
            ),
          ),
          { class: 'data compact' },
        ),
  );
}

function renderSyncs(panel) {
  const data = dataOf(panel, 'syncs-runs');
  if (!data) return;
  fill(
    'syncs-runs',
    h('h3', {}, 'Runs'),
    data.runs.length === 0
      ? empty('No sync has run yet (syncs run after models, for destinations with credentials).')
      : table(
          [
            'Sync',
            'Destination',
            'Status',
            { text: '+ / ~ / −', attrs: { class: 'num' } },
            { text: 'Sent', attrs: { class: 'num' } },
            { text: 'Refused', attrs: { class: 'num' } },
            'When',
          ],
          data.runs.map((r) =>
            h(
              'tr',
              { title: r.error ?? '' },
              h('td', {}, r.sync),
              h('td', {}, r.destination),
              h('td', {}, pill(r.status)),
              num(`${count(r.added)} / ${count(r.changed)} / ${count(r.removed)}`),
              num(count(r.sent)),
              num(count(r.failed), { class: r.failed > 0 ? 'num bad' : 'num' }),
              h('td', {}, time(r.startedAt)),
            ),
          ),
          { class: 'data compact' },
        ),
  );
  fill(
    'syncs-rejections',
    h('h3', {}, 'Refused records'),
    data.rejections.length === 0
      ? empty('No record refused.')
      : table(
          ['Sync', 'Record', 'Destination said', 'When'],
          data.rejections.map((r) =>
            h(
              'tr',
              {},
              h('td', {}, r.sync),
              h('td', { class: 'mono' }, r.matchKey),
              h('td', { class: 'wrap' }, r.error ?? ''),
              h('td', {}, time(r.rejectedAt)),
            ),
          ),
          { class: 'data compact' },
        ),
  );
}

function renderAnomalies(panel) {
  const data = dataOf(panel, 'anomalies-body');
  if (!data) return;
  if (data.length === 0)
    return void fill(
      'anomalies-body',
      empty('No monitor results yet: volume and metric monitors chart here once they have run.'),
    );
  const container = document.getElementById('anomalies-body');
  const width = Math.max(280, Math.floor((container.clientWidth - 32) / Math.min(3, data.length)) - 16);
  const cards = data.map((a) => {
    const chart = h('div', { class: 'chart' });
    const key = `band-${a.monitor}-${a.table ?? ''}-${a.dimension ?? ''}`;
    queueMicrotask(() => bandChart(key, chart, a.points, width));
    return h(
      'div',
      { class: 'chart-card', 'data-testid': `anomaly-${a.monitor}` },
      h(
        'div',
        { class: 'fresh-head' },
        h('strong', {}, [a.table, a.dimension, a.monitor].filter(Boolean).join(' · ')),
        pill(a.status),
      ),
      chart,
      h(
        'div',
        { class: 'chart-legend' },
        h('span', { class: 'key-observed' }, h('i', {}), 'observed'),
        h('span', { class: 'key-band' }, h('i', {}), 'expected range'),
        h('span', { class: 'key-anomaly' }, h('i', {}), 'anomaly'),
        h('span', { class: 'sub' }, `${a.points.length} point${a.points.length === 1 ? '' : 's'}`),
      ),
      a.explanation ? h('p', { class: 'sub wrap' }, a.explanation) : null,
    );
  });
  fill('anomalies-body', cards);
}

const ALERT_TITLE = ['title', 'summary', 'monitor', 'incident_key', 'key'];
const ALERT_TEXT = ['explanation', 'message', 'detail', 'reason'];

function renderAlerts(panel) {
  const data = dataOf(panel, 'alerts-body');
  if (!data) return;
  if (data.alerts.length === 0)
    return void fill('alerts-body', empty('No alerts. Incidents opened by the monitors show here.'));
  const first = (row, names) =>
    names.map((n) => row[n]).find((v) => v !== undefined && v !== null && v !== '');
  fill(
    'alerts-body',
    h(
      'ul',
      { class: 'alerts' },
      data.alerts.map((a) => {
        const state = String(a.state ?? a.status ?? 'open');
        const at = first(a, ['updated_at', 'last_seen_at', 'opened_at', 'created_at', 'at']);
        return h(
          'li',
          { class: `alert alert-${state.replace(/[^a-z_]/gi, '')}` },
          h(
            'div',
            { class: 'fresh-head' },
            h('strong', {}, String(first(a, ALERT_TITLE) ?? 'alert')),
            pill(state),
          ),
          h(
            'div',
            { class: 'sub' },
            [a.table_name ?? a.table, a.severity, a.owner].filter(Boolean).join(' · '),
            at ? ` · ${ago(at)}` : '',
          ),
          first(a, ALERT_TEXT) ? h('p', { class: 'wrap' }, String(first(a, ALERT_TEXT))) : null,
        );
      }),
    ),
  );
}

/** Renders every panel of a snapshot. */
export function renderSnapshot(snap) {
  renderKpis(snap);
  renderSources(snap.sources);
  renderPipeline(snap.pipeline);
  renderFreshness(snap.freshness);
  renderModels(snap.models);
  renderSyncs(snap.syncs);
  renderAnomalies(snap.anomalies);
  renderAlerts(snap.alerts);
  queueMicrotask(pruneCharts);
  return clock(snap.generatedAt);
}
