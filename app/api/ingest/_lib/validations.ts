import { z } from 'zod';
import { DOMAIN_TABLES, type KnownDomain } from '@/lib/ingest/domains';

// What the Ingest screen's actions and upload routes accept. FormData values arrive as strings, so
// flags accept "on"/"true"/"1" as well as booleans; every path or name a browser sends is only a key,
// looked up in the latest audit or the uploads folder before anything is opened.

export const KNOWN_DOMAINS = Object.keys(DOMAIN_TABLES) as KnownDomain[];

const DOMAIN_LIST = KNOWN_DOMAINS.join(', ');

export const knownDomainSchema = z.enum(KNOWN_DOMAINS as [KnownDomain, ...KnownDomain[]], {
  error: `Choose one of: ${DOMAIN_LIST}.`,
});

/** An optional domain override: '' (the select's "detect" option) means none. */
const domainOverride = z
  .union([knownDomainSchema, z.literal('')])
  .optional()
  .transform((value) => (value ? value : undefined));

const flag = z
  .union([z.boolean(), z.enum(['true', 'false', 'on', 'off', '1', '0', ''])])
  .optional()
  .transform((value) => value === true || value === 'true' || value === 'on' || value === '1');

/** The names the console gives stored uploads: `<UTC timestamp>-<safe name>.jsonl`. */
export const STORED_UPLOAD_NAME = /^\d{8}T\d{9}Z-[A-Za-z0-9][A-Za-z0-9._-]{0,119}\.jsonl$/;

export const startIngestSchema = z.discriminatedUnion(
  'scope',
  [
    z.object({
      scope: z.literal('file'),
      path: z.string().min(1, 'Name the file.').max(4096, 'That path is too long.'),
      domain: domainOverride,
      acceptRewrite: flag,
      finalize: flag,
    }),
    z.object({ scope: z.literal('domain'), domain: knownDomainSchema, finalize: flag }),
    z.object({ scope: z.literal('all'), finalize: flag }),
    z.object({
      scope: z.literal('upload'),
      name: z.string().regex(STORED_UPLOAD_NAME, 'That is not the name of an uploaded file.'),
      domain: domainOverride,
      finalize: flag,
    }),
  ],
  { error: 'Say what to ingest: a file, a domain, everything or an upload.' },
);
export type StartIngestInput = z.input<typeof startIngestSchema>;
export type StartIngestRequest = z.output<typeof startIngestSchema>;

export const runIdSchema = z.object({
  runId: z.coerce.number().int('Not a run number.').positive('Not a run number.'),
});

export const auditInputSchema = z.object({});

export const UPLOAD_EXTENSIONS = ['.jsonl', '.ndjson'] as const;

/** POST /api/ingest/uploads: announce a file before sending its bytes. */
export const createUploadSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'The file needs a name.')
    .max(255, 'The file name is longer than 255 characters.')
    .refine(
      (name) => UPLOAD_EXTENSIONS.some((extension) => name.toLowerCase().endsWith(extension)),
      'Only JSONL files (.jsonl or .ndjson) can be uploaded.',
    ),
  size: z
    .number({ error: 'Give the file size in bytes.' })
    .int('Give the file size in bytes.')
    .positive('The file is empty: there is nothing to ingest.'),
  domain: domainOverride,
  finalize: z.boolean().optional().default(true),
});
export type CreateUploadInput = z.output<typeof createUploadSchema>;

/** The id of an upload in progress (a UUID the server made); anything else never reaches the disk. */
export const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.join('.') || 'form'] ??= []).push(issue.message);
  return out;
}
