/* global document, fetch, setTimeout, window */
/**
 * The dashboard page: fetches `/dashboard/api/snapshot` every few seconds and renders every panel. A refresh
 * that fails keeps the last figures on screen and says so in the top bar.
 */
import { renderSnapshot } from './panels.js';

const REFRESH_MS = 5000;
const state = document.getElementById('refresh-state');

async function refresh() {
  try {
    const response = await fetch('/dashboard/api/snapshot', {
      cache: 'no-store',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const snap = await response.json();
    const at = renderSnapshot(snap);
    state.textContent = `updated ${at} · every ${REFRESH_MS / 1000} s`;
    state.className = 'refresh';
    document.body.dataset.loaded = snap.generatedAt;
  } catch (error) {
    state.textContent = `refresh failed (${error.message}); retrying`;
    state.className = 'refresh refresh-error';
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

window.addEventListener('DOMContentLoaded', refresh);
