// `npm run lifecycle`: rewrites the lifecycle diagram block of chatgpt-apps/auth.md from the table.
import { readFileSync, writeFileSync } from 'node:fs';
import { withLifecycle } from './lifecycle.ts';

const path = new URL('../../chatgpt-apps/auth.md', import.meta.url);
writeFileSync(path, withLifecycle(readFileSync(path, 'utf8')));
console.log('chatgpt-apps/auth.md: lifecycle diagram rewritten');
