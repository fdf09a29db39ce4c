import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonFolder } from '@/app/api/ingest/_lib/targets';
import { safeUploadName, storedUploadName } from '@/app/api/ingest/_lib/uploads';
import { STORED_UPLOAD_NAME, startIngestSchema } from '@/app/api/ingest/_lib/validations';
import { type FileCheckpoint, fileStatus } from '@/components/ingest/file-status';
import { DOMAIN_OPTIONS, formatClock, formatDuration } from '@/components/ingest/format';
import { reconciles, reconciliationText } from '@/components/ingest/reconciliation';
import {
  REJECT_REASONS,
  parseRejectsSearchParams,
  parseRunsSearchParams,
  rejectsDownloadHref,
  rejectsHref,
  runsSearch,
} from '@/components/ingest/search-params';
import { DOMAIN_TABLES, REJECT_CODES } from '@/lib/ingest/domains';

// The Ingest screen's pure pieces: a file's status against its checkpoint, the list URLs, the upload
// names (no path can escape the uploads folder), and the lists repeated for the browser bundle.

const checkpoint = (patch: Partial<FileCheckpoint> = {}): FileCheckpoint => ({
  state: 'active',
  stateDetail: null,
  committedOffset: 1000,
  pendingBytes: 0,
  linesCommitted: 10,
  ...patch,
});

describe('fileStatus', () => {
  it('tells not ingested, done, partly, changed and missing apart', () => {
    expect(fileStatus(1000, null).state).toBe('not_ingested');
    expect(fileStatus(null, null).state).toBe('missing');
    expect(fileStatus(1000, checkpoint())).toMatchObject({ state: 'done', fraction: 1 });
    // A partial last line left for its writer still counts as done (it is pending, not missing).
    const pending = fileStatus(1040, checkpoint({ pendingBytes: 40 }));
    expect(pending.state).toBe('done');
    expect(pending.detail).toContain('no newline');
    // Grown since the last run: partly, by the share committed.
    expect(fileStatus(4000, checkpoint())).toMatchObject({
      state: 'partly',
      fraction: 0.25,
      label: 'partly (25%)',
    });
    // Shorter than what was ingested: truncated or replaced, whatever the engine recorded.
    expect(fileStatus(500, checkpoint()).state).toBe('changed');
    const changed = fileStatus(
      1000,
      checkpoint({ state: 'changed', stateDetail: 'replaced: its first 4096 bytes differ' }),
    );
    expect(changed.state).toBe('changed');
    expect(changed.detail).toContain('replaced: its first 4096 bytes differ');
    expect(fileStatus(null, checkpoint()).state).toBe('missing');
  });
});

describe('list URLs', () => {
  it('parse runs pages, falling back on nonsense', () => {
    expect(parseRunsSearchParams({ page: '3', size: '50' })).toEqual({ page: 3, pageSize: 50 });
    expect(parseRunsSearchParams({ page: '-1', size: '7' })).toEqual({ page: 1, pageSize: 25 });
    expect(parseRunsSearchParams({ page: ['2', '9'] })).toEqual({ page: 2, pageSize: 25 });
    expect(parseRunsSearchParams(new URLSearchParams('page=1e3'))).toEqual({ page: 1, pageSize: 25 });
    expect(runsSearch({ page: 1, pageSize: 25 })).toBe('');
    expect(runsSearch({ page: 2, pageSize: 100 })).toBe('?page=2&size=100');
  });

  it('parse rejects filters and round-trip them; downloads keep the filters, not the page', () => {
    const query = parseRejectsSearchParams({
      run: '4',
      file: '12',
      reason: 'wrong_type',
      page: '2',
      size: '100',
    });
    expect(query).toEqual({ runId: 4, fileId: 12, reasonCode: 'wrong_type', page: 2, pageSize: 100 });
    expect(parseRejectsSearchParams(new URLSearchParams(rejectsHref(query).split('?')[1]))).toEqual(query);
    expect(parseRejectsSearchParams({ run: 'x', file: '0', reason: 'constructor', page: '0' })).toEqual({
      runId: undefined,
      fileId: undefined,
      reasonCode: undefined,
      page: 1,
      pageSize: 50,
    });
    expect(rejectsDownloadHref(query, 'csv')).toBe(
      '/api/ingest/rejects?run=4&file=12&reason=wrong_type&format=csv',
    );
    expect(rejectsHref({})).toBe('/ingest/rejects');
  });
});

describe('lists repeated for the browser', () => {
  it('match the engine', () => {
    expect(REJECT_REASONS).toEqual(REJECT_CODES);
    expect([...DOMAIN_OPTIONS].sort()).toEqual(Object.keys(DOMAIN_TABLES).sort());
  });
});

describe('upload names', () => {
  it('keep only a safe last segment, always .jsonl, under the stored-name pattern', () => {
    expect(safeUploadName('chat log (1).jsonl')).toBe('chat_log_1.jsonl');
    expect(safeUploadName('../../etc/passwd.jsonl')).toBe('passwd.jsonl');
    expect(safeUploadName('..\\..\\windows\\evil.NDJSON')).toBe('evil.jsonl');
    expect(safeUploadName('.hidden.jsonl')).toBe('hidden.jsonl');
    expect(safeUploadName('café–données.jsonl')).toBe('cafe_donnees.jsonl');
    expect(safeUploadName('....jsonl')).toBe('upload.jsonl');
    expect(safeUploadName('/')).toBe('upload.jsonl');
    expect(safeUploadName(`${'a'.repeat(300)}.jsonl`)).toHaveLength(106);
    for (const name of [
      '../../x.jsonl',
      'a/b/c.ndjson',
      '\u0000.jsonl',
      ' .jsonl',
      `${'é'.repeat(200)}.jsonl`,
    ]) {
      const stored = storedUploadName(name, new Date('2026-11-22T02:49:58.123Z'));
      expect(stored).toMatch(STORED_UPLOAD_NAME);
      expect(stored.startsWith('20261122T024958123Z-')).toBe(true);
      expect(path.basename(stored)).toBe(stored);
    }
  });
});

describe('start requests', () => {
  it('accept FormData-style strings and refuse unknown scopes and domains', () => {
    expect(startIngestSchema.parse({ scope: 'all', finalize: 'on' })).toEqual({
      scope: 'all',
      finalize: true,
    });
    expect(startIngestSchema.parse({ scope: 'file', path: '/a/b.jsonl', domain: '' })).toMatchObject({
      domain: undefined,
      acceptRewrite: false,
    });
    expect(startIngestSchema.safeParse({ scope: 'domain', domain: 'unknown' }).success).toBe(false);
    expect(startIngestSchema.safeParse({ scope: 'everything' }).success).toBe(false);
    expect(startIngestSchema.safeParse({ scope: 'upload', name: '../foundups.db' }).success).toBe(false);
  });
});

describe('formatting', () => {
  it('writes the equation and durations', () => {
    const counters = {
      linesRead: 11,
      alreadyPresent: 2,
      inserted: 5,
      rejected: 2,
      blank: 1,
      pendingPartial: 1,
    };
    expect(reconciliationText(counters)).toBe(
      '11 read = 2 already present + 5 inserted + 2 rejected + 1 blank + 1 pending partial',
    );
    expect(reconciles(counters)).toBe(true);
    expect(reconciles({ ...counters, inserted: 6 })).toBe(false);
    expect(formatClock(65)).toBe('1:05');
    expect(formatClock(3725)).toBe('1:02:05');
    expect(formatClock(null)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(192_000)).toBe('3 min 12 s');
  });

  it('finds the common folder of several roots', () => {
    expect(commonFolder(['/srv/a/x', '/srv/a/y/z'])).toBe(path.resolve('/srv/a'));
    expect(commonFolder(['/srv/a'])).toBe(path.resolve('/srv/a'));
    expect(commonFolder(['/srv/a', '/opt/b'])).toBe(path.sep);
  });
});
