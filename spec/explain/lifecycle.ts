// The lifecycle table of the core (src/core/lifecycle.ts) as a Mermaid state diagram, and the block
// of chatgpt-apps/auth.md that holds it (`npm run lifecycle` rewrites it; a test fails when stale).
import { LIFECYCLE, type LifecycleTransition } from '../../src/core/lifecycle.ts';

export const BEGIN = '<!-- lifecycle: generated from src/core/lifecycle.ts by `npm run lifecycle`; do not edit -->';
export const END = '<!-- end of lifecycle -->';

/** Colons end a Mermaid transition label, so none may be inside one. */
export function lifecycleDiagram(transitions: readonly LifecycleTransition[] = LIFECYCLE): string {
  const lines = ['stateDiagram-v2'];
  for (const t of transitions) lines.push(`  ${t.from} --> ${t.to}: ${t.on.replace(/:/g, ' ')} [${t.rule}]`);
  return lines.join('\n');
}

/** The block as it belongs in auth.md. */
export function lifecycleBlock(): string {
  return `${BEGIN}\n\`\`\`mermaid\n${lifecycleDiagram()}\n\`\`\`\n${END}`;
}

/** `text` with its lifecycle block replaced by the current one; throws when it has none. */
export function withLifecycle(text: string): string {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start === -1 || end === -1 || end < start) throw new Error('auth.md has no lifecycle block');
  return `${text.slice(0, start)}${lifecycleBlock()}${text.slice(end + END.length)}`;
}
