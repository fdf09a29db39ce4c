import { ForbiddenError, UnauthenticatedError } from '@/lib/auth/current';

/** Plain-text error responses for the export routes (they are downloads, not pages). */
export function errorResponse(status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

export function authErrorResponse(error: unknown): Response | null {
  if (error instanceof UnauthenticatedError) return errorResponse(401, error.message);
  if (error instanceof ForbiddenError) return errorResponse(403, error.message);
  return null;
}

export function downloadHeaders(filename: string, format: 'csv' | 'json' | 'md'): HeadersInit {
  const type =
    format === 'csv'
      ? 'text/csv; charset=utf-8'
      : format === 'json'
        ? 'application/json; charset=utf-8'
        : 'text/markdown; charset=utf-8';
  return {
    'content-type': type,
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}
