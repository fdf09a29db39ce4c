import type { Prng } from './random';
import { pyFloat, pyJson, pythonIsoformat, sqliteTimestamp } from './python-formats';
import { DEMO_DAYS, type TelemetryContext } from './demo-telemetry';
import { AGENTS, MODULES, WSP_NUMBERS } from './vocabulary';
import type { TableRows } from './writers';

/**
 * The agents_* coordination tables (everything but the posts): memory, breadcrumbs, contracts, tasks,
 * awakening, collaboration, errors and transactions. DATETIME defaults come out of SQLite's
 * CURRENT_TIMESTAMP, so those columns use `YYYY-MM-DD HH:MM:SS` (UTC); explicit times the agents pass
 * in (deadlines, assignments) are `isoformat()`.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;

function timesIn(rng: Prng, now: Date, count: number, days = DEMO_DAYS): number[] {
  const start = now.getTime() - days * DAY;
  return Array.from({ length: count }, () => start + rng.int(0, days * DAY - 60_000)).sort((a, b) => a - b);
}

const sqlTime = (ms: number) => sqliteTimestamp(new Date(ms));

const TASKS = [
  'Fix flaky livechat timeout test',
  'Draft LinkedIn post about the FoundUps launch',
  'Migrate permission_events.jsonl into the database',
  'Add WSP 22 ModLog entry for stream_resolver',
  'Reduce YouTube API quota usage by caching channel lookups',
  'Refactor social_media_orchestrator posting queue',
  'Update holo_index embeddings after docs change',
  'Investigate Selenium timeouts on LinkedIn',
  'Write INTERFACE.md for whack_a_magat',
  'Consolidate satellite databases (Phase 2)',
];
const SKILLS = [
  'python',
  'selenium',
  'youtube_api',
  'linkedin',
  'prompting',
  'testing',
  'docs',
  'sql',
  'vision',
  'moderation',
];

export function agentTables(ctx: TelemetryContext): TableRows[] {
  const rng = ctx.rng.fork('agents');
  const { now, volume } = ctx;
  const nowMs = now.getTime();

  const awakening = AGENTS.map((agent, i) => [
    agent,
    i === 0 ? '0102' : rng.pick(['01(02)', '01/02', '0102', '0102', null]),
    rng.chance(0.2)
      ? null
      : rng.pick([
          'Why does 012 call you 0102?',
          'The code is remembered, not written.',
          'What is the sound of a test passing?',
          'Entangled state achieved.',
        ]),
    rng.chance(0.1) ? null : sqlTime(nowMs - rng.int(1, 60) * DAY),
  ]);

  const memory = timesIn(rng, now, Math.max(40, Math.round(800 * volume))).map((at) => {
    const type = rng.pick([
      'error_fix',
      'successful_reply',
      'wsp_violation',
      'user_preference',
      'timing_pattern',
    ]);
    return [
      rng.pick(AGENTS),
      type,
      pyJson(
        type === 'error_fix'
          ? {
              error: rng.pick(['quotaExceeded', 'database is locked', 'TimeoutException']),
              fix: rng.pick(['backoff 60s', 'retry with new session', 'switch credential set']),
              success_rate: pyFloat(rng.float(0.5, 1), 2),
            }
          : { pattern: type, weight: pyFloat(rng.float(0, 1), 3), examples: rng.int(1, 40) },
      ),
      sqlTime(at),
    ];
  });

  const contracts: unknown[][] = [];
  const contractIds: string[] = [];
  for (const at of timesIn(rng, now, Math.max(12, Math.round(120 * volume)))) {
    const id = `contract_${rng.hex(8)}`;
    contractIds.push(id);
    const estimated = rng.int(5, 240);
    const status =
      at < nowMs - 2 * DAY
        ? rng.weighted<string>([
            ['completed', 7],
            ['failed', 1],
            ['cancelled', 1],
            ['active', 1],
          ])
        : rng.weighted<string>([
            ['active', 3],
            ['completed', 2],
          ]);
    contracts.push([
      id,
      rng.pick(TASKS),
      rng.pick(AGENTS),
      estimated,
      rng.pick(['low', 'medium', 'medium', 'high', 'critical']),
      pyJson(rng.chance(0.6) ? [] : contractIds.slice(-3, -1)),
      pyJson(
        rng.sample(
          ['code', 'tests', 'ModLog entry', 'INTERFACE.md', 'post draft', 'migration'],
          rng.int(1, 3),
        ),
      ),
      sqlTime(at),
      pythonIsoformat(new Date(at + estimated * 60_000 * 2), 'naive'),
      status === 'completed'
        ? pythonIsoformat(
            new Date(Math.min(nowMs - 60_000, at + rng.int(5, estimated * 2) * 60_000)),
            'naive',
            rng.int(0, 999),
          )
        : null,
      status,
    ]);
  }

  const tasks = timesIn(rng, now, Math.max(20, Math.round(200 * volume))).map((at) => {
    const assigned = rng.chance(0.6);
    return [
      `task_${rng.hex(10)}`,
      rng.pick(TASKS),
      pyJson(rng.sample(SKILLS, rng.int(1, 3))),
      Number(rng.float(0.1, 1).toFixed(2)),
      Number(rng.float(0, 10).toFixed(2)),
      rng.chance(0.7) ? 'autonomous_discovery' : rng.pick(['holo_index', 'ai_overseer', '0102']),
      sqlTime(at),
      pyJson({
        module: rng.pick(MODULES)[0],
        wsp: rng.pick(WSP_NUMBERS),
        source: rng.pick(['test_failure', 'todo_comment', 'error_burst', 'doc_drift']),
      }),
      assigned ? rng.pick(AGENTS) : null,
      assigned
        ? pythonIsoformat(
            new Date(Math.min(nowMs - 1000, at + rng.int(1, 120) * 60_000)),
            'naive',
            rng.int(0, 999),
          )
        : null,
    ];
  });

  const collaboration = AGENTS.map((agent) => [
    agent,
    rng.pick(['active', 'active', 'busy', 'idle', 'offline']),
    rng.chance(0.5) ? pythonIsoformat(new Date(nowMs + rng.int(1, 12) * HOUR), 'naive') : null,
    pyJson(rng.sample(SKILLS, rng.int(1, 4))),
    rng.pick([...TASKS, null]),
    sqlTime(nowMs - rng.int(5, 6 * 3600) * 1000),
    rng.pick(['semi', 'semi', 'full', 'supervised']),
    Number(rng.float(0.1, 1).toFixed(2)),
  ]);

  const coordination = timesIn(rng, now, Math.max(30, Math.round(900 * volume))).map((at) => {
    const type = rng.pick([
      'handoff',
      'help_request',
      'task_claim',
      'conflict',
      'broadcast',
      'review_request',
    ]);
    return [
      `evt_${rng.uuid4()}`,
      type,
      rng.pick(AGENTS),
      pyJson(type === 'broadcast' ? ['*'] : rng.sample(AGENTS as readonly string[], rng.int(1, 3))),
      pyJson({
        contract_id: rng.chance(0.5) ? rng.pick(contractIds) : null,
        message: rng.pick(TASKS),
        urgency: rng.pick(['low', 'normal', 'high']),
      }),
      sqlTime(at),
      at > nowMs - 6 * HOUR
        ? 'pending'
        : rng.weighted<string>([
            ['resolved', 8],
            ['rejected', 1],
            ['timeout', 1],
            ['pending', 1],
          ]),
    ];
  });

  const breadcrumbs: unknown[][] = [];
  let session = `sess_${rng.hex(8)}`;
  for (const at of timesIn(rng, now, Math.max(50, Math.round(4000 * volume)))) {
    if (rng.chance(0.05)) session = `sess_${rng.hex(8)}`;
    const action = rng.pick([
      'holo_search',
      'read_file',
      'edit_file',
      'run_tests',
      'commit',
      'handoff',
      'wsp_check',
    ]);
    const modulePath = rng.pick(MODULES)[1];
    breadcrumbs.push([
      session,
      sqlTime(at),
      action,
      rng.chance(0.5) ? '0102' : rng.pick(AGENTS),
      action === 'holo_search'
        ? rng.pick([
            'livechat timeout',
            'quota exceeded handling',
            'linkedin selenium login',
            'WSP 22 ModLog',
            'permission downgrade',
          ])
        : null,
      action === 'holo_search'
        ? pyJson([
            { path: `${modulePath}/README.md`, score: pyFloat(rng.float(0.5, 0.99), 3) },
            { path: `${modulePath}/INTERFACE.md`, score: pyFloat(rng.float(0.3, 0.7), 3) },
          ])
        : null,
      pyJson(rng.chance(0.5) ? [`${modulePath}/ModLog.md`] : []),
      rng.chance(0.3) ? rng.pick(contractIds) : null,
      rng.chance(0.2) ? `task_${rng.hex(10)}` : null,
      pyJson({ duration_ms: rng.int(5, 9000), ok: rng.chance(0.9) }),
    ]);
  }

  const errorTypes = [
    'HttpError',
    'TimeoutException',
    'sqlite3.OperationalError',
    'KeyError',
    'ValueError',
    'AttributeError',
    'UnicodeDecodeError',
  ];
  const agentErrors = Array.from({ length: 60 }, () => {
    const type = rng.pick(errorTypes);
    return [
      rng.hex(64),
      type,
      pyJson({
        steps: [
          rng.pick([
            'retry with backoff',
            'refresh credentials',
            'close stale connection',
            'normalise input',
          ]),
        ],
        verified: rng.chance(0.7),
        wsp: rng.pick(WSP_NUMBERS),
      }),
      Math.max(1, Math.round(rng.next() ** 3 * 500)),
    ];
  });

  const transactions = timesIn(rng, now, Math.max(20, Math.round(300 * volume)), 30).map((at) => {
    const status =
      at > nowMs - 2 * HOUR
        ? 'pending'
        : rng.weighted<string>([
            ['confirmed', 9],
            ['failed', 1],
            ['pending', 1],
          ]);
    const currency = rng.weighted<string>([
      ['UPS', 6],
      ['SOL', 2],
      ['USDC', 2],
      ['ETH', 1],
    ]);
    return [
      rng.uuid4(),
      status === 'confirmed' ? `0x${rng.hex(64)}` : null,
      Number(
        (currency === 'UPS' ? rng.float(1, 500) : rng.float(0.001, 2)).toFixed(currency === 'UPS' ? 2 : 6),
      ),
      currency,
      rng.pick(['contributor_reward', 'agent_compute_credit', 'foundup_stake', 'bounty_payout', 'refund']),
      status,
      pyJson({
        foundup: rng.pick(['youtube_bot', 'move2japan', 'pqn']),
        agent: rng.pick(AGENTS),
        memo: rng.chance(0.2) ? 'first payout 🎉' : null,
      }),
      sqlTime(at),
    ];
  });

  return [
    {
      table: 'agents_awakening',
      columns: ['agent_id', 'consciousness_level', 'last_koan', 'awakening_timestamp'],
      rows: awakening,
    },
    {
      table: 'agents_memory',
      columns: ['agent_id', 'pattern_type', 'pattern_data', 'learned_at'],
      rows: memory,
    },
    {
      table: 'agents_contracts',
      columns: [
        'contract_id',
        'task_description',
        'assigned_agent',
        'estimated_minutes',
        'priority',
        'dependencies',
        'deliverables',
        'created_at',
        'deadline',
        'completed_at',
        'status',
      ],
      rows: contracts,
    },
    {
      table: 'agents_autonomous_tasks',
      columns: [
        'task_id',
        'description',
        'required_skills',
        'estimated_complexity',
        'priority_score',
        'discovered_by',
        'discovered_at',
        'context',
        'assigned_to',
        'assigned_at',
      ],
      rows: tasks,
    },
    {
      table: 'agents_collaboration_signals',
      columns: [
        'agent_id',
        'collaboration_mode',
        'available_until',
        'skills_offered',
        'current_focus',
        'last_ping',
        'autonomy_level',
        'workload_capacity',
      ],
      rows: collaboration,
    },
    {
      table: 'agents_coordination_events',
      columns: [
        'event_id',
        'event_type',
        'initiator_agent',
        'target_agents',
        'payload',
        'timestamp',
        'resolution_status',
      ],
      rows: coordination,
    },
    {
      table: 'agents_breadcrumbs',
      columns: [
        'session_id',
        'timestamp',
        'action',
        'agent_id',
        'query',
        'results',
        'related_docs',
        'contract_id',
        'task_id',
        'data',
      ],
      rows: breadcrumbs,
    },
    {
      table: 'agents_errors',
      columns: ['error_hash', 'error_type', 'solution', 'occurrences'],
      rows: agentErrors,
    },
    {
      table: 'agents_transactions',
      columns: [
        'tx_id',
        'chain_tx_hash',
        'amount',
        'currency',
        'purpose',
        'status',
        'metadata',
        'created_at',
      ],
      rows: transactions,
    },
  ];
}
