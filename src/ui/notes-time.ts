// How the web app shows a moment (NOTES-UI-05): relative to the page's clock ("3 minutes ago",
// "in 30 days"), with the exact instant in `datetime` and the absolute UTC time as the `title`.
// The server does not know the reader's time zone, and pages carry no script to find out (the CSP
// and the tests keep every page script-free), so the absolute time says UTC; `datetime` is exact.
import { html, type SafeHtml } from './html.ts';

const ABSOLUTE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const DAY_ONLY = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** "just now", "5 minutes ago", "yesterday", "in 30 days"; past two weeks, the date itself. */
export function relativeTime(seconds: number, now: number): string {
  const delta = now - seconds;
  const ahead = delta < 0;
  const span = Math.abs(delta);
  if (span < 45) return 'just now';
  let amount: string;
  if (span < HOUR) amount = count(Math.max(1, Math.round(span / MINUTE)), 'minute');
  else if (span < DAY) amount = count(Math.round(span / HOUR), 'hour');
  else if (span < 2 * DAY && !ahead) return 'yesterday';
  else if (span < 45 * DAY) amount = count(Math.round(span / DAY), 'day');
  else return `on ${DAY_ONLY.format(new Date(seconds * 1000))}`;
  return ahead ? `in ${amount}` : `${amount} ago`;
}

/**
 * `seconds` since the epoch as a `<time>` element. With the page's `now`, the text is relative and
 * the title absolute; without one (no clock at hand), the text is the absolute UTC time.
 */
export function timeElement(seconds: number, now?: number): SafeHtml {
  const date = new Date(seconds * 1000);
  const absolute = `${ABSOLUTE.format(date)} UTC`;
  if (now === undefined) return html`<time datetime="${date.toISOString()}">${absolute}</time>`;
  return html`<time datetime="${date.toISOString()}" title="${absolute}">${relativeTime(seconds, now)}</time>`;
}
