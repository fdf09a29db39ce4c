import { describe, expect, it } from 'vitest';
import { plainlyValidTime } from '@/lib/ingest/domains';
import { parseDbTime } from '@/lib/time/format';

// The ingest's fast timestamp check must never accept what parseDbTime (the console's one parser)
// rejects: it may only say "plainly valid" for times parseDbTime accepts, and leaves the rest to it.

describe('plainlyValidTime', () => {
  it('accepts the forms agents write, as parseDbTime does', () => {
    for (const value of [
      '2025-11-20T10:00:00',
      '2025-11-20 10:00:00',
      '2025-11-20T10:00:00.123456',
      '2024-02-29T23:59:59.9',
      '2000-02-29T00:00:00.123456789',
    ]) {
      expect(plainlyValidTime(value), value).toBe(true);
      expect(parseDbTime(value), value).not.toBeNull();
    }
  });

  it('never accepts what parseDbTime rejects (impossible dates, bad fields, other shapes)', () => {
    for (const value of [
      '2025-02-29T10:00:00',
      '1900-02-29T10:00:00',
      '2025-04-31T10:00:00',
      '2025-13-01T10:00:00',
      '2025-00-01T10:00:00',
      '2025-11-20T24:00:00',
      '2025-11-20T10:60:00',
      '2025-11-20T10:00:60',
      '2025-11-20T10:00:00.',
      '2025-11-20T10:00:00.1234567890',
      '2025-11-20X10:00:00',
      '0025-11-20T10:00:00',
      '２０２５-11-20T10:00:00',
      '2025-1a-20T10:00:00',
      'not a timestamp at all',
    ]) {
      expect(plainlyValidTime(value), value).toBe(false);
    }
  });

  it('agrees with parseDbTime on every "plainly valid" answer over many generated strings', () => {
    let accepted = 0;
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 20_000; i++) {
      const year = String(1000 + random(9000));
      // Each field a little past its valid range, so both answers come up often.
      const two = (max: number) => String(random(max + 2)).padStart(2, '0');
      const sep = random(3) === 0 ? ' ' : 'T';
      const frac = random(3) === 0 ? '' : `.${'1234567890'.slice(0, random(11))}`;
      const value = `${year}-${two(12)}-${two(31)}${sep}${two(23)}:${two(59)}:${two(59)}${frac}`;
      if (plainlyValidTime(value)) {
        accepted += 1;
        expect(parseDbTime(value), value).not.toBeNull();
      }
    }
    expect(accepted).toBeGreaterThan(1000);
  });
});
