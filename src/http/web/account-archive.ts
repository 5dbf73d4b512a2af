// Export and import from the account page (NOTES-IO-01, NOTES-IO-02): a zip download of every
// note, and a file form (CSRF-checked like every form) whose report lists each refused file.
import type Router from '@koa/router';
import { archiveLimits, readZipArchive } from '../../app/notes-archive.ts';
import { exportNotesOf, importNotesFor } from '../../app/notes-io.ts';
import { renderImportReport } from '../../ui/notes-import.ts';
import { sendPage } from './pages.ts';
import type { Services } from '../../app/services.ts';
import type { WebPages } from './guard.ts';

export function accountArchiveRoutes(router: Router, services: Services, pages: WebPages): void {
  router.get('/account/export', pages.page((ctx, who) => {
    const { zip } = exportNotesOf(services.queue.state, who.user.userId);
    const day = new Date(services.now() * 1000).toISOString().slice(0, 10);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', `attachment; filename="agent-notes-${who.user.username.replace(/[^A-Za-z0-9_.-]/g, '_')}-${day}.zip"`);
    ctx.type = 'application/zip';
    ctx.body = Buffer.from(zip);
  }));

  const limits = archiveLimits(services.config.noteLimits);
  // The upload itself: the archive's compressed bytes, within the owner's whole budget.
  router.post('/account/import', pages.upload(services.config.noteLimits.bytesPerUser + 1024 * 1024, async (ctx, who) => {
    const file = who.files.archive;
    if (file === undefined || file.length === 0) {
      return pages.fail(ctx, who, 400, 'Choose a file', 'Choose a zip of Markdown files to import, then send the form again.', { href: '/account', label: 'Back to your account' });
    }
    const done = await importNotesFor(services, who.user.userId, readZipArchive(file, limits), { kind: 'person', userId: who.user.userId });
    if ('error' in done) return sendPage(ctx, 400, renderImportReport({ nav: who.nav, imported: 0, refused: done.refused, error: `${done.error.charAt(0).toUpperCase()}${done.error.slice(1)}.` }));
    sendPage(ctx, 200, renderImportReport({ nav: who.nav, imported: done.imported, refused: done.refused }));
  }));
}
