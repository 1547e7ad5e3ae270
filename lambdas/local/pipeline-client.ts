import { existsSync, readFileSync } from 'node:fs';
import type { SluiceHome } from './sluice-home.js';
import { processAlive } from './process-alive.js';

/** A running local pipeline, found through `SLUICE_HOME/pipeline.json`. */
export interface RunningPipeline {
  readonly pid: number;
  readonly url: string;
  /** Calls an admin route and returns its JSON answer; a non-2xx answer throws with the pipeline's reason. */
  call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
}

/**
 * Finds the pipeline running on this `SLUICE_HOME`, if any. DuckDB lets only one process write the warehouse
 * file, so while one runs, CLI commands go through its admin routes instead of opening the file.
 */
export function findRunningPipeline(home: SluiceHome): RunningPipeline | undefined {
  if (!existsSync(home.pipelineFile) || !existsSync(home.adminTokenFile)) return undefined;
  let info: { pid?: unknown; url?: unknown };
  try {
    info = JSON.parse(readFileSync(home.pipelineFile, 'utf8')) as typeof info;
  } catch {
    return undefined;
  }
  if (typeof info.pid !== 'number' || typeof info.url !== 'string' || !processAlive(info.pid))
    return undefined;
  const token = readFileSync(home.adminTokenFile, 'utf8').trim();
  const url = info.url;
  return {
    pid: info.pid,
    url,
    async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const answer = (await response.json()) as T & { error?: string; detail?: string };
      if (!response.ok) throw new Error(answer.detail ?? answer.error ?? `HTTP ${response.status}`);
      return answer;
    },
  };
}
