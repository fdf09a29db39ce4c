import type { Metadata, Viewport } from 'next';
import { cookies } from 'next/headers';
import { THEME_COOKIE, parseTheme } from '@/components/shell/theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'FoundUps Console', template: '%s · FoundUps Console' },
  description: "The operator's console over the FoundUps agents' database",
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={theme}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
