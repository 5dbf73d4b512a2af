// Removing a person with their notes: live and trashed notes and every version go, and a person
// whose notes are all in the trash still needs --delete-notes.
import { describe, expect, it } from 'vitest';
import { peopleContext, removePerson } from '../../src/app/people.ts';
import { createNote, deleteNote, updateNote } from '../../src/notes/index.ts';
import { startTestServer } from '../kit/server.ts';

describe('removing a person', () => {
  it('[NOTES-TRASH-03][NOTES-OWN-01] notes in the trash count as notes: removal needs --delete-notes, then erases them with every version', async () => {
    const server = await startTestServer({ users: ['alice', 'bob'] });
    try {
      const { queue } = server.services;
      const alice = Object.values(queue.state.users).find((user) => user.username === 'alice')!.userId;
      await queue.apply((state) => createNote(state, { noteId: 'a1', publicId: 'p1', ownerId: alice, title: 'Kept', body: 'v1', tags: [], now: 100 }));
      await queue.apply((state) => updateNote(state, { noteId: 'a1', ownerId: alice, body: 'v2', now: 200 }));
      await queue.apply((state) => deleteNote(state, { noteId: 'a1', ownerId: alice, now: 300 }));
      const context = peopleContext(server.services);
      await expect(removePerson(context, 'alice')).rejects.toThrow(/alice has 1 note\(s\) \(1 in the trash\)/);
      expect(Object.keys(queue.state.trashedNotes)).toEqual(['a1']);
      expect(await removePerson(context, 'alice', { deleteNotes: true })).toMatchObject({ notesDeleted: 1 });
      expect(queue.state.trashedNotes).toEqual({});
      expect(queue.state.noteVersions).toEqual({});
    } finally {
      await server.close();
    }
  });
});
