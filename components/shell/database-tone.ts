import type { DatabaseTone } from '@/db/config';

/** Colours and words per tone: production is red wherever a database is named. */
export const TONE_STYLES: Record<DatabaseTone, { band: string; chip: string; label: string }> = {
  production: {
    band: 'bg-red-600 text-white',
    chip: 'border-red-600 bg-red-600 text-white',
    label: 'Production',
  },
  staging: {
    band: 'bg-amber-400 text-amber-950',
    chip: 'border-amber-500 bg-amber-400 text-amber-950',
    label: 'Staging',
  },
  development: {
    band: 'bg-emerald-600 text-white',
    chip: 'border-emerald-600 bg-emerald-600 text-white',
    label: 'Development',
  },
  neutral: {
    band: 'bg-sky-700 text-white',
    chip: 'border-sky-700 bg-sky-700 text-white',
    label: 'Database',
  },
};

export interface DatabaseOption {
  name: string;
  tone: DatabaseTone;
  /** Dialect and location, without passwords. */
  description: string;
}
