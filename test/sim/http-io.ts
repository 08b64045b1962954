/** Reading request bodies and writing JSON answers and Status failures. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, failure, unsupportedMediaType, type Status } from './status';

const maxBody = 8 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBody) throw new ApiError(failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 8388608'));
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The body of a create, update, delete or review: JSON or YAML, as a real server decodes them.
 * Protobuf and CBOR, which the simulator does not speak, are refused with 415 like any other
 * unknown format, so a client that prefers them (kubectl does for built-in kinds) is told why
 * instead of getting a JSON parse error.
 */
export async function readObject(req: IncomingMessage): Promise<unknown> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const text = await readBody(req);
  if (text.trim() === '') return undefined;
  if (contentType === '' || contentType === 'application/json' || contentType === '*/*') return parseBody(text, false);
  if (contentType === 'application/yaml') return parseBody(text, true);
  throw unsupportedMediaType(contentType);
}

/** JSON, or YAML for apply patches (which may also be JSON, a subset of YAML). */
export function parseBody(text: string, yaml: boolean): unknown {
  if (text.trim() === '') return undefined;
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw badRequest(`the body of the request could not be decoded: ${(err as Error).message}`);
  }
}

export function writeJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', ...headers });
  res.end(text);
}

export function writeStatus(res: ServerResponse, status: Status, headers: Record<string, string> = {}): void {
  writeJson(res, status.code, status, headers);
}

export function writeError(res: ServerResponse, err: unknown, log: (message: string) => void): void {
  if (err instanceof ApiError) {
    writeStatus(res, err.status, err.headers);
    return;
  }
  log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  writeStatus(res, failure(500, 'InternalError', `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`));
}

/** "Warning: 299 - \"unknown field \\\"dta\\\"\"" for each text. */
export function warningHeaders(texts: string[]): Record<string, string> {
  if (texts.length === 0) return {};
  return { Warning: texts.map((t) => `299 - ${JSON.stringify(t)}`).join(', ') };
}
