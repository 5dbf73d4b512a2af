// What an import did (NOTES-IO-02): how many notes arrived, and every file refused with its reason.
import { html } from './html.ts';
import { alertBox } from './layout.ts';
import { renderAppLayout, type Navigation } from './notes-layout.ts';

export interface ImportReportInput {
  nav: Navigation;
  imported: number;
  refused: readonly { source: string; reason: string }[];
  /** Set when nothing was imported at all, saying why. */
  error?: string;
}

export function renderImportReport({ nav, imported, refused, error }: ImportReportInput): string {
  const body = html`<p class="back"><a href="/account">← Account</a></p>
<h1>Import</h1>
${alertBox(error)}
${error === undefined ? html`<p class="notice" role="status">${imported === 1 ? '1 note was imported' : `${imported} notes were imported`}. <a href="/notes">See your notes</a>.</p>` : ''}
${refused.length === 0
    ? ''
    : html`<h2>${refused.length === 1 ? '1 file was' : `${refused.length} files were`} not imported</h2>
<ul class="refused-list">${refused.map((file) => html`<li><code>${file.source}</code>: ${file.reason}</li>`)}</ul>`}`;
  return renderAppLayout({ title: 'Import', body, nav: { ...nav, current: 'account' } });
}
