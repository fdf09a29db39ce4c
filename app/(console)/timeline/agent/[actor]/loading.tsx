// The timeline's skeleton, as before the list's loading.tsx moved into the (list) group (where it no
// longer wraps the event pages, whose unknown ids must answer 404).
export { default } from '../../(list)/loading';
