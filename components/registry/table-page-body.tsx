import type { BrowseTarget } from '@/lib/registry/browser';
import type { BrowserState } from '@/lib/registry/browser-params';
import type { RelationInfo } from '@/lib/registry/catalogue';
import { readTablePage } from '@/lib/registry/queries';
import { TableView } from './table-view';

/**
 * Reads one page of rows and shows it. Rendered inside a Suspense boundary by the table pages, after
 * they have resolved the relation (so the check that may answer 404 runs before anything streams).
 */
export async function TablePageBody({
  target,
  relation,
  state,
  exportHref,
  context,
}: {
  target: BrowseTarget;
  relation: RelationInfo;
  state: BrowserState;
  exportHref: string;
  context?: React.ReactNode;
}) {
  const page = await readTablePage(target, relation, state);
  return (
    <TableView relation={relation} page={page} state={state} exportHref={exportHref} context={context} />
  );
}
