import fs from 'node:fs';
import { Readable } from 'node:stream';
import { ForbiddenError, UnauthenticatedError, authorize } from '@/lib/auth/current';
import { BackupError, backupFilePath } from '@/lib/operations/backup';

export const dynamic = 'force-dynamic';

/** Streams one backup file to an admin (never buffered whole: backups are as large as the database). */
export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }) {
  try {
    await authorize('admin');
  } catch (error) {
    if (error instanceof UnauthenticatedError) return new Response(error.message, { status: 401 });
    if (error instanceof ForbiddenError) return new Response(error.message, { status: 403 });
    throw error;
  }
  const { name } = await params;
  let file: string;
  try {
    file = backupFilePath(name);
  } catch (error) {
    if (error instanceof BackupError) return new Response(error.message, { status: 404 });
    throw error;
  }
  const stat = fs.statSync(file);
  const stream = Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>;
  return new Response(stream, {
    headers: {
      'Content-Type': 'application/vnd.sqlite3',
      'Content-Length': String(stat.size),
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
