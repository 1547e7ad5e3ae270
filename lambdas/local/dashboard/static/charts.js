/* global getComputedStyle, document */
/** Charts drawn with uPlot (served from node_modules): source sparklines and anomaly bands. */
import uPlot from '/dashboard/vendor/uplot.js';

const charts = new Map();

function css(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Draws (or updates in place) the chart `key` inside `container`. */
function draw(key, container, options, data) {
  const existing = charts.get(key);
  if (existing && existing.root.isConnected && existing.root.parentElement === container) {
    existing.setData(data);
    return existing;
  }
  if (existing) existing.destroy();
  const chart = new uPlot(options, data, container);
  charts.set(key, chart);
  return chart;
}

/** Forgets charts whose element left the page. */
export function pruneCharts() {
  for (const [key, chart] of charts) {
    if (!chart.root.isConnected) {
      chart.destroy();
      charts.delete(key);
    }
  }
}

/** A bare line of events per minute over the last hour. */
export function sparkline(key, container, points) {
  const xs = points.map((p) => Date.parse(p.at) / 1000);
  const ys = points.map((p) => p.events);
  const accent = css('--accent', '#2563eb');
  return draw(
    key,
    container,
    {
      width: 180,
      height: 36,
      pxAlign: false,
      cursor: { show: false },
      select: { show: false },
      legend: { show: false },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: accent, width: 1.5, fill: `${accent}22`, points: { show: false } }],
    },
    [xs, ys],
  );
}

/** Observed values against the expected band (low–high, centre dashed), anomalous points in red. */
export function bandChart(key, container, points, width) {
  charts.get(key)?.destroy();
  charts.delete(key);
  const xs = points.map((p) => Date.parse(p.at) / 1000);
  const low = points.map((p) => p.low);
  const high = points.map((p) => p.high);
  const center = points.map((p) => p.center);
  const observed = points.map((p) => p.observed);
  const flagged = points.map((p) => (p.status === 'anomaly' ? p.observed : null));
  const text = css('--muted', '#64748b');
  const grid = css('--grid', '#e2e8f0');
  const axis = {
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid },
    font: '11px system-ui',
  };
  return draw(
    key,
    container,
    {
      width,
      height: 170,
      legend: { show: false },
      cursor: { points: { size: 6 } },
      scales: {
        // Fixed to the data with an hour either side, so one point (a monitor's first run) is not drawn on a
        // years-wide axis; the chart is rebuilt on every refresh (see bandChart's caller).
        x: { time: true, auto: false, range: [Math.min(...xs) - 3600, Math.max(...xs) + 3600] },
        // A flat series (all zero, or a rate of 0.000000004) still gets a readable axis.
        y: {
          range: (_u, min, max) => (max - min < 1e-6 ? [Math.min(0, min), Math.max(min, 0) + 1] : [min, max]),
        },
      },
      axes: [axis, { ...axis, size: 48 }],
      series: [
        {},
        { label: 'expected high', stroke: '#93c5fd', width: 1 },
        { label: 'expected low', stroke: '#93c5fd', width: 1 },
        { label: 'expected', stroke: '#60a5fa', width: 1, dash: [4, 4] },
        {
          label: 'observed',
          stroke: '#0f172a',
          width: 2,
          points: { show: points.length < 24, size: 5, fill: '#0f172a' },
        },
        {
          label: 'anomaly',
          stroke: 'transparent',
          points: { show: true, size: 8, fill: '#dc2626', stroke: '#dc2626' },
        },
      ],
      bands: [{ series: [1, 2], fill: 'rgba(96, 165, 250, 0.18)' }],
    },
    [xs, high, low, center, observed, flagged],
  );
}
