import { count } from './format';

/** The validation report's equation: every line read is inserted, already present, rejected, blank or pending. */
export function reconciliationText(c: {
  linesRead: number;
  alreadyPresent: number;
  inserted: number;
  rejected: number;
  blank: number;
  pendingPartial: number;
}): string {
  const parts = [
    `${count(c.alreadyPresent)} already present`,
    `${count(c.inserted)} inserted`,
    `${count(c.rejected)} rejected`,
    `${count(c.blank)} blank`,
  ];
  if (c.pendingPartial > 0) parts.push(`${count(c.pendingPartial)} pending partial`);
  return `${count(c.linesRead)} read = ${parts.join(' + ')}`;
}

export function reconciles(c: Parameters<typeof reconciliationText>[0]): boolean {
  return c.linesRead === c.alreadyPresent + c.inserted + c.rejected + c.blank + c.pendingPartial;
}
