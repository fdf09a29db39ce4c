import { z } from 'zod';

// Zod 4 probes once for `new Function` support (its JIT for object schemas). Under the console's
// Content-Security-Policy (no 'unsafe-eval', see proxy.ts) the probe is blocked and reported as a CSP
// violation; the interpreter it falls back to is what runs anyway. Saying so up front, before any
// client code parses, keeps the browser's CSP report clean.
z.config({ jitless: true });
