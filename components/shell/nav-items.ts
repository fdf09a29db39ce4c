import type { Role } from '@/lib/auth/roles';

export interface NavItem {
  href: string;
  label: string;
  /** Screens that are not built yet are listed but say so, instead of showing fake content. */
  ready: boolean;
  role: Role;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'Overview', ready: true, role: 'viewer' },
  { href: '/review', label: 'Review', ready: true, role: 'viewer' },
  { href: '/timeline', label: 'Timeline', ready: true, role: 'viewer' },
  { href: '/registry', label: 'Registry', ready: true, role: 'viewer' },
  { href: '/satellites', label: 'Satellites', ready: true, role: 'viewer' },
  { href: '/ingest', label: 'Ingest', ready: true, role: 'admin' },
  { href: '/sql', label: 'SQL', ready: true, role: 'admin' },
  { href: '/health', label: 'Health', ready: true, role: 'admin' },
  { href: '/backups', label: 'Backups', ready: true, role: 'admin' },
  { href: '/retention', label: 'Retention', ready: true, role: 'admin' },
  { href: '/settings', label: 'Settings', ready: true, role: 'viewer' },
];
