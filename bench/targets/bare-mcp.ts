// Starts the bare MCP SDK server (the `mcp` scenario's ceiling) as a child process.
import { fileURLToPath } from 'node:url';
import { readMemory, readUsage, startChild, stopChild } from './child.ts';
import type { Target } from './target.ts';

const SERVER = fileURLToPath(new URL('./bare-mcp-server.ts', import.meta.url));

export async function startBareMcp(): Promise<Target> {
  const { child, match } = await startChild(['--import', 'tsx', SERVER], { ...process.env, PORT: '0' }, /READY (http:\/\/127\.0\.0\.1:\d+)/);
  return { name: 'bare MCP SDK', url: match[1]!, pid: child.pid!, usage: () => readUsage(child.pid!), memory: () => readMemory(child), stop: () => stopChild(child) };
}
