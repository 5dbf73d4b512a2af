// The diagrams `explain` writes and auth.md's lifecycle drawing are real Mermaid: each is parsed
// and rendered to SVG by Mermaid itself, in Debian's Chromium (no network: the page is blank and
// Mermaid's bundle comes from node_modules).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, runScenario, sequenceDiagram } from '../../spec/explain/index.ts';
import { lifecycleDiagram } from '../../spec/explain/lifecycle.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const MERMAID = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
const LIBRARY = new URL('../../spec/scenarios/', import.meta.url);

const diagrams: [string, string][] = [['the token lifecycle (auth.md)', lifecycleDiagram()]];
for (const file of readdirSync(LIBRARY).filter((name) => name.endsWith('.yaml')).sort()) {
  const scenario = parseScenario(readFileSync(new URL(file, LIBRARY), 'utf8'), file);
  diagrams.push([file, sequenceDiagram(scenario, runScenario(scenario))]);
}

let browser: Browser;
describe.skipIf(!existsSync(CHROMIUM))('[explain] diagrams render in Mermaid', () => {
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 30_000);
  afterAll(() => browser?.close());

  it('[EC-31] a broken diagram is refused, so the check can fail', async () => {
    const page = await browser.newPage();
    await page.addScriptTag({ path: MERMAID });
    const result = await page.evaluate(async (text) => (globalThis as unknown as { mermaid: { parse(t: string): Promise<unknown> } }).mermaid.parse(text).then(() => 'parsed', (error: Error) => `refused: ${error.message.split('\n')[0]}`), 'sequenceDiagram\n  A->>: no target');
    expect(result).toMatch(/^refused/);
    await page.close();
  });

  for (const [name, text] of diagrams) {
    it(`[EC-31] ${name}: Mermaid parses it and renders an SVG`, async () => {
      const page = await browser.newPage();
      await page.addScriptTag({ path: MERMAID });
      const svg = await page.evaluate(async (source) => {
        const mermaid = (globalThis as unknown as { mermaid: { initialize(o: object): void; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
        return (await mermaid.render('diagram', source)).svg;
      }, text);
      expect(svg).toMatch(/^<svg/);
      expect(svg).not.toContain('Syntax error');
      await page.close();
    }, 30_000);
  }
});
