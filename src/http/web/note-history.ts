// A note's history in the web app (NOTES-VER-03): the versions kept, one version with its diff
// against the current note, and restoring a version as a new change (a form with the session's
// CSRF token, like every form here). Who wrote each version is shown as "you" or the app's name.
import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import { getNote, getNoteVersion, noteVersions, restoreNoteVersion } from '../../notes/index.ts';
import type { Author, NoteRecord, NoteVersionRecord } from '../../notes/index.ts';
import { renderMarkdown } from '../../ui/markdown.ts';
import { renderHistory, renderVersion, type AuthorLabel, type VersionEntry } from '../../ui/notes-history.ts';
import { notePath } from '../../ui/notes-paths.ts';
import { sendPage, seeOther } from './pages.ts';
import { notePane } from './note-pane.ts';
import type { Services } from '../../app/services.ts';
import type { SignedIn, WebPages } from './guard.ts';

const HISTORY_NOTICES = {} as const;

export function noteHistoryRoutes(router: Router, services: Services, pages: WebPages): void {
  const noteOf = (ctx: RouterContext, who: SignedIn): NoteRecord | undefined => getNote(services.queue.state, who.user.userId, ctx.params.id ?? '');
  const versionOf = (ctx: RouterContext, who: SignedIn, note: NoteRecord): NoteVersionRecord | undefined =>
    getNoteVersion(services.queue.state, who.user.userId, note.noteId, ctx.params.versionId ?? '');

  function noteMissing(ctx: RouterContext, who: SignedIn): void {
    pages.fail(ctx, who, 404, 'Note not found', 'There is no such note among yours. It may have been deleted, here or by an app you connected; look in the trash.', { href: '/notes', label: 'Back to your notes' });
  }

  function versionMissing(ctx: RouterContext, who: SignedIn, note: NoteRecord): void {
    pages.fail(ctx, who, 404, 'Version not found', 'This note has no such version. Old versions are dropped after a while; the history lists the ones kept.', { href: notePath(note.noteId, 'history'), label: 'Back to the history' });
  }

  router.get('/notes/:id/history', pages.page((ctx, who) => {
    const note = noteOf(ctx, who);
    if (!note) return noteMissing(ctx, who);
    const notice = pages.notice(ctx, HISTORY_NOTICES);
    sendPage(ctx, 200, renderHistory({
      nav: who.nav,
      note: { noteId: note.noteId, title: note.title, updatedAt: note.updatedAt, changedBy: labelOf(note.changedBy) },
      versions: noteVersions(services.queue.state, who.user.userId, note.noteId).map(entryOf),
      sidebar: notePane(services.queue.state, who, note.noteId),
      ...(notice === undefined ? {} : { notice }),
    }));
  }));

  router.get('/notes/:id/history/:versionId', pages.page((ctx, who) => {
    const note = noteOf(ctx, who);
    if (!note) return noteMissing(ctx, who);
    const version = versionOf(ctx, who, note);
    if (!version) return versionMissing(ctx, who, note);
    const previous = noteVersions(services.queue.state, who.user.userId, note.noteId).find((other) => other.seq < version.seq);
    sendPage(ctx, 200, renderVersion({
      nav: who.nav,
      note,
      version: { ...entryOf(version), body: version.body, tags: version.tags },
      ...(previous === undefined ? {} : { previous }),
      rendered: renderMarkdown(version.body),
      sidebar: notePane(services.queue.state, who, note.noteId),
    }));
  }));

  router.post('/notes/:id/history/:versionId/restore', pages.form(async (ctx, who) => {
    const note = noteOf(ctx, who);
    if (!note) return noteMissing(ctx, who);
    const version = versionOf(ctx, who, note);
    if (!version) return versionMissing(ctx, who, note);
    const input = { noteId: note.noteId, ownerId: who.user.userId, versionId: version.versionId, now: services.now(), by: { kind: 'person', userId: who.user.userId } as const };
    const outcome = await services.queue.apply((state) => restoreNoteVersion(state, input, services.config.noteLimits, services.config.noteRetention));
    if (outcome.kind === 'error') {
      return pages.fail(ctx, who, 400, 'The version was not restored', `${outcome.message.charAt(0).toUpperCase()}${outcome.message.slice(1)}.`, { href: notePath(note.noteId, 'history'), label: 'Back to the history' });
    }
    seeOther(ctx, `${notePath(note.noteId)}?done=restored`);
  }));

  /** The owner is the only person who can write their notes, so a person's change is "you". */
  function labelOf(by: Author | undefined): AuthorLabel {
    if (by === undefined) return { kind: 'unknown' };
    if (by.kind === 'person') return { kind: 'you' };
    return { kind: 'app', name: by.name ?? 'An app', clientId: by.clientId };
  }

  function entryOf(version: NoteVersionRecord): VersionEntry {
    return { versionId: version.versionId, title: version.title, savedAt: version.savedAt, savedBy: labelOf(version.savedBy), replacedAt: version.replacedAt };
  }
}
