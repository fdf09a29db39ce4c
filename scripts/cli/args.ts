/** A small argv parser: positionals, `--flag`, `--key value` and `--key=value`. */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Flags that never take a value, so `--password-stdin alice` keeps alice as a positional. */
const BOOLEAN_FLAGS = new Set([
  'password-stdin',
  'force',
  'rebuild',
  'help',
  'dry-run',
  'json',
  'yes',
  'finalize',
  'accept-rewrite',
]);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 0) {
        options.set(arg.slice(2, eq), arg.slice(eq + 1));
      } else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--') && !BOOLEAN_FLAGS.has(arg.slice(2))) {
          options.set(arg.slice(2), next);
          i += 1;
        } else {
          options.set(arg.slice(2), true);
        }
      }
    } else {
      positionals.push(arg);
    }
  }
  return { positionals, options };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value.`);
  return value;
}

export function flag(args: ParsedArgs, name: string): boolean {
  const value = args.options.get(name);
  return value === true || value === 'true' || value === '1';
}

export function intOption(args: ParsedArgs, name: string): number | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  const number = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(number) || number < 0)
    throw new UsageError(`--${name} must be a whole number (got "${value}").`);
  return number;
}

export function checkOptions(args: ParsedArgs, allowed: readonly string[]): void {
  for (const name of args.options.keys()) {
    if (!allowed.includes(name)) throw new UsageError(`Unknown option --${name}.`);
  }
}
