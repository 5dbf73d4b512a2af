// A process killed with SIGKILL mid-stream loses nothing it acknowledged.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../../src/store/index.ts';
import { tempDataDir } from '../../kit/temp-dir.ts';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const childScript = join(import.meta.dirname, 'crash-child.ts');

/** Runs the child until it has acknowledged `atLeast` appends, kills it, returns every seq it printed. */
async function appendUntilKilled(dir: string, atLeast: number): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.split('\n').length > atLeast) child.kill('SIGKILL');
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  expect(signal, `child ended on its own:\n${err}`).toBe('SIGKILL');
  return out.split('\n').slice(0, -1).map(Number); // the text after the last newline may be cut
}

describe('crash', () => {
  it('[store] after SIGKILL every acknowledged append is loaded, with no gap before it', async () => {
    const dir = await tempDataDir();
    const acknowledged = await appendUntilKilled(dir, 200);
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);

    const store = await openFileStore(dir); // also takes over the dead child's LOCK
    const loaded = store.loaded.crash ?? {};
    for (const seq of acknowledged) expect(loaded[`k${seq}`], `seq ${seq}`).toEqual({ seq });
    const seqs = Object.keys(loaded).map((key) => Number(key.slice(1))).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));

    await store.append([{ op: 'put', collection: 'crash', key: 'after', value: true }]);
    await store.close();
    const reopened = await openFileStore(dir);
    expect(reopened.loaded.crash).toHaveProperty('after', true);
    await reopened.close();
  });
});
