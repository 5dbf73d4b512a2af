// Versions and the trash are records like notes: journaled before the answer, replayed at start
// (NOTES-VER-06), and dropped by the tick when their time is up.
import { describe, expect, it } from 'vitest';
import { callTool, obtainTokens, startTestServer } from '../mcp/harness.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

describe('history survives a restart', () => {
  it('[NOTES-VER-06] versions and the trash written through MCP are the same after a restart', async () => {
    const dataDir = await tempDataDir();
    const first = await startTestServer({ dataDir, users: ['alice'] });
    const token = (await obtainTokens(first.url, 'alice')).access_token;
    const kept = (await callTool(first.mcpUrl, token, 'create_note', { title: 'Kept', body: 'v1' })).structuredContent as { id: string };
    await callTool(first.mcpUrl, token, 'update_note', { id: kept.id, body: 'v2' });
    const binned = (await callTool(first.mcpUrl, token, 'create_note', { title: 'Binned', body: 'bye' })).structuredContent as { id: string };
    await callTool(first.mcpUrl, token, 'delete_note', { id: binned.id });
    const { noteVersions, trashedNotes } = first.services.queue.state;
    const before = JSON.stringify({ noteVersions, trashedNotes });
    await first.close();

    const second = await startTestServer({ dataDir });
    try {
      const state = second.services.queue.state;
      expect(JSON.stringify({ noteVersions: state.noteVersions, trashedNotes: state.trashedNotes })).toBe(before);
      expect(state.noteVersions[`${kept.id}.1`]).toMatchObject({ body: 'v1', savedBy: { kind: 'app' } });
      expect(state.trashedNotes[binned.id]?.note.title).toBe('Binned');
      expect(state.notes[binned.id]).toBeUndefined();
    } finally {
      await second.close();
    }
  });
});
