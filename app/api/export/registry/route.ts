import { getDb } from '@/db/client';
import { describeDbConfig, readDbConfig } from '@/db/config';
import { authorize } from '@/lib/auth/current';
import { exportFilename } from '@/lib/registry/export-format';
import { registryMarkdown } from '@/lib/registry/markdown';
import { getRegistry } from '@/lib/registry/queries';
import { authErrorResponse, downloadHeaders } from '../responses';

// GET /api/export/registry: the registry as the ARCHITECTURE document's Markdown tables.

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    await authorize('viewer');
  } catch (error) {
    const response = authErrorResponse(error);
    if (response) return response;
    throw error;
  }
  const registry = await getRegistry(await getDb());
  const source = describeDbConfig(readDbConfig()).replace(/^SQLite .*[\\/]/, 'SQLite ');
  return new Response(registryMarkdown(registry, source), {
    headers: downloadHeaders(exportFilename('database-tables', 'md'), 'md'),
  });
}
