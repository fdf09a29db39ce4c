import 'server-only';
import { requestDatabaseRefusal } from '@/db/multi-database';
import { apiError } from './responses';

/** Bodies larger than this are refused before they are parsed (posts are ≤ 20,000 characters). */
export const MAX_BODY_BYTES = 64 * 1024;

export type JsonBodyResult = { ok: true; body: unknown } | { ok: false; response: Response };

function isJsonContentType(value: string | null): boolean {
  const type = value?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function tooLarge(limit: number): Response {
  return apiError(413, 'payload_too_large', `The request body is limited to ${limit} bytes.`);
}

/**
 * Reads a JSON body: 409 when the request names another database than the one it resolves to, 415 unless Content-Type is JSON, 413 when Content-Length or the bytes actually
 * received exceed `maxBytes` (a client may lie about, or omit, the length), 400 for text that is not
 * UTF-8 or not JSON. With `optional`, an empty body (any content type) reads as `{}`.
 */
export async function readJsonBody(
  request: Request,
  options: { maxBytes?: number; optional?: boolean } = {},
): Promise<JsonBodyResult> {
  // A console page's write that names another database than this request's is refused unread
  // (agents choose their database with the same header, so theirs always match).
  const crossing = await requestDatabaseRefusal({ requireClaim: false });
  if (crossing) return { ok: false, response: apiError(409, 'conflict', crossing) };
  const limit = options.maxBytes ?? MAX_BODY_BYTES;
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit) {
    return { ok: false, response: tooLarge(limit) };
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limit) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, response: tooLarge(limit) };
      }
      chunks.push(value);
    }
  }
  if (received === 0) {
    if (options.optional) return { ok: true, body: {} };
    if (!isJsonContentType(request.headers.get('content-type'))) {
      return {
        ok: false,
        response: apiError(415, 'unsupported_media_type', 'Send the body as Content-Type: application/json.'),
      };
    }
    return {
      ok: false,
      response: apiError(400, 'invalid_json', 'The request body is empty; send a JSON object.'),
    };
  }
  if (!isJsonContentType(request.headers.get('content-type'))) {
    return {
      ok: false,
      response: apiError(415, 'unsupported_media_type', 'Send the body as Content-Type: application/json.'),
    };
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, response: apiError(400, 'invalid_json', 'The request body is not valid UTF-8.') };
  }
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      response: apiError(
        400,
        'invalid_json',
        `The request body is not valid JSON: ${(error as Error).message}`,
      ),
    };
  }
}
