import fs from 'node:fs';
import path from 'node:path';
import { requireE2eEnvironment } from './environment';

export const ROLES = ['admin', 'reviewer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Credentials {
  username: string;
  password: string;
}

/** The operators start-server.mjs created for this run, with their (random) passwords. */
export function readCredentials(): Record<Role, Credentials> {
  const { credentialsFile } = requireE2eEnvironment();
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(credentialsFile, 'utf8'));
  } catch (error) {
    throw new Error(
      `Cannot read the e2e operators' credentials at ${credentialsFile} (written by e2e/support/start-server.mjs): ${String(error)}`,
    );
  }
  const record = parsed as Partial<Record<Role, Partial<Credentials>>>;
  for (const role of ROLES) {
    const entry = record[role];
    if (typeof entry?.username !== 'string' || typeof entry.password !== 'string') {
      throw new Error(`${credentialsFile} has no username/password for the ${role} operator.`);
    }
  }
  return record as Record<Role, Credentials>;
}

/** Where the signed-in browser state (session cookie) of a role is kept for this run. */
export function storageStatePath(role: Role): string {
  return path.join(requireE2eEnvironment().storageDir, `${role}.json`);
}
