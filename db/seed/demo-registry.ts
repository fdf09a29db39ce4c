import type { Prng } from './random';
import { pythonIsoformat, sqliteTimestamp } from './python-formats';
import { MODULES, REGISTRY_EXTRA_MODULES, WSP_NUMBERS } from './vocabulary';
import type { TableRows } from './writers';

/**
 * The legacy module documentation registry (unprefixed tables the HoloIndex linker writes). Ids are
 * explicit so the relationship tables can refer to them; on PostgreSQL the caller moves the identity
 * sequences past them afterwards.
 */

/** Tables whose ids the registry sets explicitly: [table, id column]. */
export const REGISTRY_IDENTITY_COLUMNS = [
  ['modules', 'module_id'],
  ['module_documents', 'doc_id'],
] as const;

const DOCS: [string, string, string][] = [
  // [doc_type, relative path, purpose]
  ['README', 'README.md', 'What the module does and how to run it'],
  ['INTERFACE', 'INTERFACE.md', 'Public API (WSP 11)'],
  ['ModLog', 'ModLog.md', 'Change log (WSP 22)'],
  ['ROADMAP', 'ROADMAP.md', 'Planned work'],
  ['TestREADME', 'tests/README.md', 'How to run the tests'],
  ['TestModLog', 'tests/TestModLog.md', 'Test change log'],
];

function title(name: string): string {
  return name
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
}

export function registryTables(rng: Prng, now: Date): TableRows[] {
  const nowMs = now.getTime();
  const modules: unknown[][] = [];
  const documents: unknown[][] = [];
  const relationships: unknown[][] = [];
  const wsp: unknown[][] = [];
  const crossRefs: unknown[][] = [];
  const allModules = [...MODULES, ...REGISTRY_EXTRA_MODULES];
  let docId = 0;
  const readmes: number[] = [];
  allModules.forEach(([name, path, domain], index) => {
    const moduleId = index + 1;
    const linked = new Date(nowMs - rng.int(1, 40) * 86_400_000 - rng.int(0, 86_400) * 1000);
    modules.push([
      moduleId,
      name,
      path,
      domain,
      rng.chance(0.1) ? null : pythonIsoformat(linked, 'naive', rng.int(0, 999)),
      rng.pick(['1.0.0', '1.0.0', '1.1.0', '1.2.0']),
    ]);
    const docCount = rng.int(3, DOCS.length);
    const ids: number[] = [];
    for (const [docType, relative, purpose] of DOCS.slice(0, docCount)) {
      docId++;
      ids.push(docId);
      documents.push([
        docId,
        moduleId,
        docType,
        `${path}/${relative}`,
        docType === 'README' ? `${title(name)}` : `${title(name)} ${docType}`,
        rng.chance(0.15) ? null : purpose,
        rng.chance(0.1) ? null : sqliteTimestamp(new Date(linked.getTime() - rng.int(0, 30) * 86_400_000)),
      ]);
    }
    readmes.push(ids[0]!);
    // README links to every other document of its module.
    for (const other of ids.slice(1)) relationships.push([ids[0]!, other]);
    for (const number of rng.sample(WSP_NUMBERS, rng.int(2, 5))) wsp.push([moduleId, number]);
    for (const id of ids) {
      const refs = new Set<string>();
      for (const number of rng.sample(WSP_NUMBERS, rng.int(1, 3))) refs.add(`wsp\u0000${number}`);
      if (rng.chance(0.5)) refs.add(`module\u0000${rng.pick(allModules)[0]}`);
      if (rng.chance(0.4))
        refs.add(`file\u0000${path}/src/${rng.pick(['main', 'client', 'handler', 'config'])}.py`);
      for (const ref of refs) {
        const [type, value] = ref.split('\u0000') as [string, string];
        crossRefs.push([id, type, value]);
      }
    }
  });
  // Cross-module links: READMEs that point at another module's README.
  for (const from of readmes) {
    for (const to of rng.sample(readmes, 2)) if (to !== from) relationships.push([from, to]);
  }
  const refresh = [
    ['module_docs', sqliteTimestamp(new Date(nowMs - 3 * 3_600_000)), 412, 3.81, documents.length],
    ['wsp_protocols', sqliteTimestamp(new Date(nowMs - 26 * 3_600_000)), 97, 1.27, 94],
    ['code_symbols', sqliteTimestamp(new Date(nowMs - 50 * 60_000)), 1830, 22.4, 11_932],
    ['holo_vectors', sqliteTimestamp(new Date(nowMs - 9 * 86_400_000)), 12, 184.2, 12_208],
    ['satellite_scan', null, 0, null, 0],
  ];
  return [
    {
      table: 'modules',
      columns: [
        'module_id',
        'module_name',
        'module_path',
        'module_domain',
        'linked_timestamp',
        'linker_version',
      ],
      rows: modules,
    },
    {
      table: 'module_documents',
      columns: ['doc_id', 'module_id', 'doc_type', 'file_path', 'title', 'purpose', 'last_updated'],
      rows: documents,
    },
    { table: 'document_relationships', columns: ['from_doc_id', 'to_doc_id'], rows: dedupe(relationships) },
    { table: 'module_wsp_implementations', columns: ['module_id', 'wsp_number'], rows: wsp },
    {
      table: 'document_cross_references',
      columns: ['doc_id', 'reference_type', 'reference_value'],
      rows: crossRefs,
    },
    {
      table: 'index_refresh_tracking',
      columns: [
        'index_type',
        'last_refresh',
        'refresh_count',
        'last_refresh_duration',
        'total_entries_indexed',
      ],
      rows: refresh,
    },
  ];
}

function dedupe(rows: unknown[][]): unknown[][] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = row.join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
