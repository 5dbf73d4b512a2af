// `agent-notes export` and `agent-notes import` as an operator runs them: on a running server
// (through its control socket) and on a stopped server's data directory, a folder vault included.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerProcess } from '../kit/child-server.ts';
import { obtainTokens } from '../kit/client.ts';
import { PASSWORD } from '../kit/server.ts';
import { tempDataDir } from '../kit/temp-dir.ts';
import { callTool } from '../mcp/harness.ts';

const running: ServerProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.kill();
});

describe('[cli] export and import', () => {
  it('[NOTES-IO-01][NOTES-IO-03] export --user writes the zip from a running server; import --user brings a vault folder into a stopped one', async () => {
    const dir = await tempDataDir();
    const server = await ServerProcess.on(dir);
    running.push(server);
    server.addUser('alice', PASSWORD);
    server.addUser('bob', PASSWORD);
    await server.start();
    const token = (await obtainTokens(server.base, 'alice')).access_token;
    await callTool(`${server.base}/mcp`, token, 'create_note', { title: 'From the CLI', body: 'exported', tags: ['ops'] });

    const out = join(dir, '..', 'alice.zip');
    const exported = server.cli(['export', '--user', 'alice', '--out', out]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout.trim()).toBe(`agent-notes: wrote 1 note(s) of alice to ${out}.`);
    expect(new TextDecoder().decode(unzipSync(readFileSync(out))['From the CLI.md'])).toMatch(/^---\ntitle: From the CLI\ntags:\n  - ops\n/);
    const unknown = server.cli(['export', '--user', 'nobody', '--out', out]);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/no user "nobody"/);
    await server.signal('SIGTERM');

    const vault = join(dir, '..', 'vault');
    await mkdir(join(vault, 'sub'), { recursive: true });
    await writeFile(join(vault, 'sub', 'Idea.md'), '---\ntags: [think]\n---\nLinks to [[From the CLI]] #later\n');
    await writeFile(join(vault, 'bad.md'), Buffer.from([0xff, 0xfe, 0x00]));
    const imported = server.cli(['import', '--user', 'bob', vault]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('not imported: bad.md: the file is not UTF-8 text');
    expect(imported.stdout).toContain('agent-notes: imported 1 note(s) for bob; 1 file(s) not imported (listed above).');
    const again = server.cli(['import', '--user', 'bob', out]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('agent-notes: imported 1 note(s) for bob.');
  });
});
