// The Ingest screen's skeleton, below runs/[id]/layout.tsx (which answers 404 for an unknown run first).
export { default } from '../../(overview)/loading';
