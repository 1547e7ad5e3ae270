/**
 * Size of the bundled ingest Lambda (issue #3 target: ≤ 1 MB), built the way the CDK app builds it
 * (esbuild, ESM, minified, node22, `@aws-sdk/*` left to the runtime), and for comparison with the SDK bundled.
 *
 * Usage: npx tsx bench/ingest-bundle-size.bench.ts
 */
import { build } from 'esbuild';
import { join } from 'node:path';

const entry = join(import.meta.dirname, '..', 'lambdas', 'handlers', 'ingest.ts');

async function size(external: string[]): Promise<number> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    external,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
}

const deployed = await size(['@aws-sdk/*']);
const selfContained = await size([]);
console.log('ingest-bundle-size:');
console.log(
  `  as deployed (@aws-sdk from the runtime)  ${(deployed / 1024).toFixed(0)} KiB (target <= 1024 KiB)`,
);
console.log(`  with the AWS SDK bundled too             ${(selfContained / 1024).toFixed(0)} KiB`);
