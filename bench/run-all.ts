/**
 * `npm run bench`: runs every benchmark in this folder one after the other (never in parallel: they share two
 * cores) and prints their figures. Each benchmark compares itself with a baseline run in the same process.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const benches = readdirSync(here)
  .filter((f) => f.endsWith('-throughput.ts') || f.endsWith('.bench.ts'))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file} (${new Date().toISOString()})`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
