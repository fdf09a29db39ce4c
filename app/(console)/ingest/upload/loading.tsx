// The Ingest screen's skeleton, shared with the overview (see ingest/(overview)/loading.tsx).
export { default } from '../(overview)/loading';
