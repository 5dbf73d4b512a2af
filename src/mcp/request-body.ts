// Reading a POST body at the MCP endpoint ourselves, once, under a size limit: the gate must see
// which tool is called before the SDK dispatches, and the SDK then takes the parsed value.
import type { IncomingMessage } from 'node:http';

export const MCP_BODY_LIMIT = 1024 * 1024;

export type BodyRead = { ok: true; text: string } | { ok: false; reason: 'too_large' | 'aborted' };

export function readRawBody(req: IncomingMessage, limit: number = MCP_BODY_LIMIT): Promise<BodyRead> {
  // A body someone else already read never ends again: answer rather than wait forever.
  if (req.readableEnded) return Promise.resolve({ ok: false, reason: 'aborted' });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, reason: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ ok: false, reason: 'too_large' });
      } else chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    const onError = () => finish({ ok: false, reason: 'aborted' });
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onError);
  });
}

/** JSON text → value; `ok: false` when it is not JSON. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
