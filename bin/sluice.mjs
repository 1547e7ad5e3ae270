#!/usr/bin/env node
// The `sluice` command. It registers tsx so the TypeScript CLI runs without a build step, then hands over.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
