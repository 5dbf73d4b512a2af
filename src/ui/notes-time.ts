// How the web app shows a moment. The server does not know the reader's time zone (and pages carry
// no script to find out), so times are written in UTC and say so; `datetime` holds the exact value.
import { html, type SafeHtml } from './html.ts';

const FORMAT = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** `seconds` since the epoch as a `<time>` element, e.g. "3 Mar 2026, 14:05 UTC". */
export function timeElement(seconds: number): SafeHtml {
  const date = new Date(seconds * 1000);
  return html`<time datetime="${date.toISOString()}">${FORMAT.format(date)} UTC</time>`;
}
