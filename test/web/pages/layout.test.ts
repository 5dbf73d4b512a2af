import { readFileSync } from 'node:fs';
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { STYLESHEET_FILE, STYLESHEET_URL } from '../../../src/ui/layout.ts';
import { html } from '../../../src/ui/html.ts';
import { ALL_PAGES } from './pages.ts';

describe('[ui] every page', () => {
  it.each(Object.entries(ALL_PAGES))('[ui] the %s page is a complete document with the shared frame', (_name, page) => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    const doc = parse(page);
    expect(doc.querySelector('html')?.getAttribute('lang')).toBe('en');
    expect(doc.querySelector('meta[name="viewport"]')?.getAttribute('content')).toContain('width=device-width');
    expect(doc.querySelector('link[rel="stylesheet"]')?.getAttribute('href')).toBe('/assets/style.css');
    expect(doc.querySelector('title')?.text.length).toBeGreaterThan(0);
    expect(doc.querySelector('h1')?.text.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(ALL_PAGES))('[ui][MCP-45] the %s page has no script, no inline style and no event handler', (_name, page) => {
    expect(page.toLowerCase()).not.toContain('<script');
    expect(page.toLowerCase()).not.toContain('style=');
    expect(page.toLowerCase()).not.toContain('<style');
    expect(page).not.toMatch(/\son[a-z]+=/i);
    expect(page.toLowerCase()).not.toContain('javascript:');
  });

  it.each(Object.entries(ALL_PAGES))('[ui] every visible input of the %s page has a label', (_name, page) => {
    const doc = parse(page);
    for (const input of doc.querySelectorAll('input:not([type="hidden"])')) {
      const id = input.getAttribute('id');
      expect(id, input.toString()).toBeTruthy();
      expect(doc.querySelector(`label[for="${id}"]`)?.text.trim().length, input.toString()).toBeGreaterThan(0);
    }
  });

  it.each(Object.entries(ALL_PAGES))('[ui] the %s page posts its forms with a CSRF token', (_name, page) => {
    for (const form of parse(page).querySelectorAll('form')) {
      expect(form.getAttribute('method')).toBe('post');
      expect(form.querySelector('input[type="hidden"][name="csrf"]')?.getAttribute('value')).toBeTruthy();
    }
  });

  it('[ui] the stylesheet exists next to the pages, uses no external resources and shows focus', () => {
    expect(STYLESHEET_URL).toBe('/assets/style.css');
    const css = readFileSync(STYLESHEET_FILE, 'utf8');
    expect(css).not.toMatch(/@import|url\(|https?:/);
    expect(css).toContain(':focus-visible');
    expect(css).toContain('system-ui');
  });

  it('[ui] the html template escapes interpolated text but not nested templates', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x" & \'y\''}">${inner}${['<a>', 1]}${undefined}${false}</p>`.value).toBe(
      '<p title="&quot;x&quot; &amp; &#39;y&#39;"><b>&lt;i&gt;</b>&lt;a&gt;1</p>',
    );
  });
});
