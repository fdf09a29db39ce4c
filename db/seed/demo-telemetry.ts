import { type Prng, YOUTUBE_ID_ALPHABET } from './random';
import { type IsoKind, pyFloat, pyJson, pythonIsoformat, sqliteTimestamp } from './python-formats';
import { AGENTS, DAEMONS, FIRST_NAMES, LAST_NAMES, MODULE_NAMES, PERMISSION_LEVELS } from './vocabulary';
import type { TableRows } from './writers';

/**
 * The consolidated telemetry tables over the 14 days before `now`, shaped like the JSONL records they
 * were migrated from. Timestamps use the formats the writers produce — naive `isoformat()`,
 * `+00:00`-aware `isoformat()` and SQLite's `YYYY-MM-DD HH:MM:SS` — all UTC (see python-formats.ts).
 *
 * Story the data tells (the timeline and health screens should make it visible):
 * - 9 days ago a YouTube API quota burst in livechat (~150 errors in 20 min), after which youtube_dae
 *   stops sending heartbeats for 6 hours;
 * - 3 days ago a LinkedIn/Selenium timeout burst in social_media_orchestrator (~200 errors in 40 min),
 *   then social_media_dae is silent for 11 hours; it has also been silent for the last 2h15m;
 * - x_agent's confidence decays until its posting permission is downgraded; gemma's climbs and it is
 *   granted more.
 */

export const DEMO_DAYS = 14;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

export interface TelemetryContext {
  rng: Prng;
  now: Date;
  /** Multiplier for the volume of the high-frequency tables (1 ≈ 80k rows in all). */
  volume: number;
}

/** Incidents shared by the error, heartbeat and metrics generators. */
export function incidents(now: Date) {
  const t = now.getTime();
  const quotaBurst = {
    module: 'livechat',
    start: t - 9 * DAY - 4 * HOUR,
    end: t - 9 * DAY - 4 * HOUR + 20 * MINUTE,
  };
  const seleniumBurst = {
    module: 'social_media_orchestrator',
    start: t - 3 * DAY - 6 * HOUR,
    end: t - 3 * DAY - 6 * HOUR + 40 * MINUTE,
  };
  return { quotaBurst, seleniumBurst };
}

interface Gap {
  start: number;
  end: number;
  /** 'crash': last heartbeat reports errors; 'planned': last heartbeat says stopping. */
  kind: 'crash' | 'planned';
}

interface DaemonPlan {
  name: (typeof DAEMONS)[number];
  start: number;
  end: number;
  gaps: Gap[];
  format: IsoKind | 'sqlite';
  /** Seconds between heartbeats: [min, max]. */
  interval: [number, number];
}

export function daemonPlans(now: Date): DaemonPlan[] {
  const t = now.getTime();
  const { quotaBurst, seleniumBurst } = incidents(now);
  return [
    {
      name: 'youtube_dae',
      start: t - DEMO_DAYS * DAY,
      end: t - 20_000,
      format: 'naive',
      interval: [30, 60],
      gaps: [
        { start: quotaBurst.end + 2 * MINUTE, end: quotaBurst.end + 6 * HOUR, kind: 'crash' },
        { start: t - 5 * DAY - 2 * HOUR, end: t - 4 * DAY - 23 * HOUR, kind: 'planned' },
      ],
    },
    {
      name: 'social_media_dae',
      start: t - DEMO_DAYS * DAY + 7 * MINUTE,
      end: t - 2 * HOUR - 15 * MINUTE,
      format: 'aware',
      interval: [50, 70],
      gaps: [
        { start: t - 11 * DAY - 3 * HOUR, end: t - 11 * DAY - HOUR, kind: 'planned' },
        { start: seleniumBurst.end + MINUTE, end: seleniumBurst.end + 11 * HOUR, kind: 'crash' },
      ],
    },
    {
      name: 'holo_dae',
      start: t - 3 * DAY,
      end: t - 45_000,
      format: 'sqlite',
      interval: [30, 60],
      gaps: [{ start: t - DAY - HOUR, end: t - DAY + 30 * MINUTE, kind: 'planned' }],
    },
  ];
}

function formatTime(ms: number, kind: IsoKind | 'sqlite', rng: Prng): string {
  // Heartbeat loops step in whole seconds; real writes carry a sub-second part.
  const date = new Date(ms + rng.int(0, 999));
  return kind === 'sqlite' ? sqliteTimestamp(date) : pythonIsoformat(date, kind, rng.int(0, 999));
}

/** Daily livestreams (YouTube video ids) youtube_dae watches: [start, end, videoId]. */
export function streamWindows(ctx: TelemetryContext): [number, number, string][] {
  const rng = ctx.rng.fork('streams');
  const t = ctx.now.getTime();
  const windows: [number, number, string][] = [];
  for (let day = DEMO_DAYS; day >= 0; day--) {
    const start = t - day * DAY - rng.int(2, 10) * HOUR;
    const end = Math.min(t - 60_000, start + rng.int(90, 200) * MINUTE);
    if (end > start && end > t - DEMO_DAYS * DAY)
      windows.push([start, end, rng.chars(YOUTUBE_ID_ALPHABET, 11)]);
  }
  return windows;
}

function inWindow(windows: readonly (readonly [number, number, ...unknown[]])[], ms: number) {
  return windows.find(([start, end]) => ms >= start && ms < end);
}

export function daemonHealth(ctx: TelemetryContext): TableRows {
  const rng = ctx.rng.fork('daemon_health');
  const streams = streamWindows(ctx);
  const { quotaBurst, seleniumBurst } = incidents(ctx.now);
  const slow = 1 / Math.min(1, ctx.volume);
  const rows: unknown[][] = [];
  for (const plan of daemonPlans(ctx.now)) {
    const burst =
      plan.name === 'youtube_dae' ? quotaBurst : plan.name === 'social_media_dae' ? seleniumBurst : undefined;
    let t = plan.start;
    let started = t;
    let errors = 0;
    let fresh = true;
    let beats = 0;
    const runId = () => `run_${rng.hex(8)}`;
    let run = runId();
    while (t <= plan.end) {
      const next = t + rng.int(plan.interval[0], plan.interval[1]) * 1000 * slow;
      const gap = plan.gaps.find((g) => next >= g.start && t < g.end);
      const inBurst = burst && t >= burst.start && t < burst.end;
      if (inBurst) errors += rng.int(1, 6);
      else if (rng.chance(0.002)) errors += 1;
      let status: string;
      if (fresh) status = 'starting';
      else if (gap && gap.kind === 'planned') status = 'stopping';
      else if (gap && gap.kind === 'crash') status = 'error';
      else if (inBurst) status = 'degraded';
      else status = plan.name === 'youtube_dae' && beats % 3 === 2 ? 'running' : 'healthy';
      const stream = plan.name === 'youtube_dae' ? inWindow(streams, t) : undefined;
      const uptime = Math.round((t - started) / 1000);
      // youtube_dae has two writers (heartbeat service and auto-moderator), each with its own shape.
      const secondWriter = plan.name === 'youtube_dae' && beats % 3 === 2;
      const metrics = secondWriter
        ? {
            stream_active: Boolean(stream),
            chat_messages_per_min: stream ? rng.int(5, 90) : 0,
            moderation_actions: stream ? rng.int(0, 4) : 0,
            banter_responses: stream ? rng.int(0, 6) : 0,
            memory_mb: pyFloat(rng.float(180, 420), 1),
            cpu_percent: pyFloat(rng.float(1, 35), 1),
            heartbeat_count: beats,
            writer: 'auto_moderator_dae',
          }
        : {
            stream_active: Boolean(stream),
            stream_video_id: stream ? stream[2] : null,
            memory_usage_mb: pyFloat(rng.float(150, 380) + (inBurst ? 200 : 0), 1),
            cpu_usage_percent: pyFloat(rng.float(0.5, 25) + (inBurst ? 40 : 0), 1),
            fixes_applied: Math.floor(errors / 7),
            run_id: run,
            automation_gates: {
              auto_post: plan.name !== 'holo_dae',
              auto_moderate: plan.name === 'youtube_dae',
              requires_012_review: true,
            },
          };
      rows.push([
        plan.name,
        formatTime(t, plan.format, rng),
        status,
        stream ? stream[2] : null,
        errors,
        uptime,
        pyJson(metrics),
      ]);
      beats++;
      fresh = false;
      if (gap) {
        t = gap.end + rng.int(0, 30) * 1000;
        started = t;
        errors = 0;
        fresh = true;
        run = runId();
      } else {
        t = next;
      }
    }
  }
  return {
    table: 'daemon_health',
    columns: [
      'daemon_name',
      'heartbeat_at',
      'status',
      'video_id',
      'errors_detected',
      'uptime_seconds',
      'metrics_json',
    ],
    rows,
  };
}

const CHAT_LINES = [
  'hello from Tokyo!',
  'first time here, what is FoundUps?',
  'lol',
  'this is the way',
  '0102 ✊✋🖐',
  'can agents really own equity?',
  'Love the stream 🔥🔥',
  'こんにちは！',
  'where is this filmed?',
  'MAGA 2028',
  'stop spamming',
  'how do I join?',
  'the audio is out of sync',
  '🚀🚀🚀',
  'great point about ownership',
  '<script>alert("chat")</script>',
  'مرحبا من القاهرة',
  'is this live or recorded?',
  'W',
  'can you show the code again?',
];
const BOT_LINES = [
  '@{user} ✊✋🖐 Welcome to the stream!',
  '@{user} FoundUps = startups owned by the people (and agents) who build them. Details in the description.',
  '@{user} Timeout for spam. Be kind. ⏱️',
  '@{user} whack-a-MAGAt +1 point for you 🎯',
];

export function chatMessages(ctx: TelemetryContext): TableRows {
  const rng = ctx.rng.fork('chat_messages');
  const streams = streamWindows(ctx);
  const chatters = Array.from({ length: 400 }, () => ({
    id: `UC${rng.chars(YOUTUBE_ID_ALPHABET, 22)}`,
    name: `${rng.pick(FIRST_NAMES)}${rng.pick(['', '_', '.'])}${rng.pick(LAST_NAMES)}${rng.chance(0.4) ? rng.int(1, 999) : ''}`,
    // A few chatters write most of the messages, as in any live chat.
    weight: 1 / (1 + rng.int(0, 60)),
    moderator: rng.chance(0.03),
    member: rng.chance(0.1),
  }));
  const totalWeight = chatters.reduce((sum, c) => sum + c.weight, 0);
  const pickChatter = () => {
    let roll = rng.next() * totalWeight;
    for (const c of chatters) {
      roll -= c.weight;
      if (roll < 0) return c;
    }
    return chatters[0]!;
  };
  const bot = { id: 'UC_FoundUps_0102_bot_000', name: 'FoundUps 0102' };
  const target = Math.round(10_000 * ctx.volume);
  const streamMs = streams.reduce((sum, [s, e]) => sum + (e - s), 0);
  const rows: unknown[][] = [];
  for (const [start, end, videoId] of streams) {
    const count = Math.max(3, Math.round((target * (end - start)) / streamMs));
    const times = Array.from({ length: count }, () => rng.int(start, end - 1)).sort((a, b) => a - b);
    for (const at of times) {
      const user = pickChatter();
      const kind = rng.weighted<string>([
        ['chat', 88],
        ['bot_response', 6],
        ['moderation', 2],
        ['superchat', 2],
        ['membership', 2],
      ]);
      const author = kind === 'bot_response' || kind === 'moderation' ? bot : user;
      const message =
        kind === 'bot_response' || kind === 'moderation'
          ? rng.pick(BOT_LINES).replace('{user}', user.name)
          : kind === 'membership'
            ? `Welcome to FoundUps Members, ${user.name}!`
            : rng.pick(CHAT_LINES);
      const metadata: Record<string, unknown> = {
        author_name: author.name,
        message_id: `LCC.${rng.chars(YOUTUBE_ID_ALPHABET, 26)}`,
        is_moderator: author === bot ? true : user.moderator,
        is_member: author === bot ? false : user.member,
      };
      if (kind === 'superchat') metadata.amount = rng.pick(['$2.00', '$5.00', '¥500', '€10.00', '$100.00']);
      if (kind === 'moderation')
        metadata.action = { type: 'timeout', target: user.id, duration_seconds: rng.pick([10, 60, 300]) };
      rows.push([
        author.id,
        videoId,
        pythonIsoformat(new Date(at), 'aware', rng.int(0, 999)),
        message,
        kind,
        pyJson(metadata),
      ]);
    }
  }
  return {
    table: 'chat_messages',
    columns: ['user_id', 'stream_id', 'sent_at', 'message', 'message_type', 'metadata_json'],
    rows,
  };
}

type Trend = 'improving' | 'degrading' | 'stable' | 'volatile';

const VALIDATIONS: Record<string, string[]> = {
  TESTS_PASSED: ['pytest: 142 passed in 12.3s', 'pytest: 37 passed', 'ruff + pytest clean'],
  TESTS_FAILED: [
    'pytest: 3 failed, 139 passed',
    'test_livechat.py::test_timeout FAILED',
    'ImportError in test collection',
  ],
  HUMAN_APPROVAL: ['012 approved the post', '012 approved the pull request', '012: looks good'],
  HUMAN_REJECTION: ['012 rejected the post: tone', '012 rejected: off-topic', '012 reverted the change'],
  FIX_VERIFIED: ['regression test added and passing', 'error rate back to baseline'],
  REGRESSION_DETECTED: ['error rate x4 after deploy', 'latency p95 doubled'],
  ROLLBACK: ['rolled back commit 3f9c2ab', 'restored previous prompt'],
};

/** Confidence walks per agent plus the permission changes they trigger. */
export function confidenceAndPermissions(ctx: TelemetryContext): [TableRows, TableRows] {
  const rng = ctx.rng.fork('confidence');
  const start = ctx.now.getTime() - DEMO_DAYS * DAY;
  const span = DEMO_DAYS * DAY - 10 * MINUTE;
  const perAgent = Math.max(4, Math.round((3000 * ctx.volume) / AGENTS.length));
  const trends: Record<string, Trend> = {
    gemma: 'improving',
    qwen: 'improving',
    x_agent: 'degrading',
    linkedin_agent: 'volatile',
    grok: 'volatile',
  };
  const confidence: unknown[][] = [];
  const permissions: unknown[][] = [];
  const signature = () => `sha256:${rng.hex(64)}`;
  const grant = (
    agent: string,
    at: number,
    level: string,
    by: string,
    conf: number,
    why: string,
    extra: Record<string, unknown> = {},
  ) => {
    const expires = new Date(at + 30 * DAY);
    permissions.push([
      agent,
      'PERMISSION_GRANTED',
      level,
      pythonIsoformat(new Date(at), 'aware', rng.int(0, 999)),
      by,
      Number(conf.toFixed(3)),
      why,
      signature(),
      pyJson({
        event_id: `perm_${rng.hex(12)}`,
        expires_at: pythonIsoformat(expires, 'aware'),
        confidence_at_grant: pyFloat(conf, 3),
        ...extra,
      }),
    ]);
  };
  for (const agent of AGENTS) {
    const trend = trends[agent] ?? (rng.chance(0.5) ? 'stable' : 'improving');
    let value =
      trend === 'improving'
        ? rng.float(0.5, 0.62)
        : trend === 'degrading'
          ? rng.float(0.82, 0.9)
          : rng.float(0.65, 0.8);
    let level = 1;
    let recentFailures = 0;
    grant(
      agent,
      start + rng.int(0, 2 * HOUR),
      PERMISSION_LEVELS[0],
      '012',
      value,
      'Initial read-only access for a new agent',
    );
    grant(
      agent,
      start + rng.int(2 * HOUR, 6 * HOUR),
      PERMISSION_LEVELS[1],
      '0102',
      value,
      'Metrics write needed for telemetry (WSP 77)',
    );
    if (trend === 'degrading') {
      // Trusted with publishing at first; the decay then walks it back down step by step.
      level = PERMISSION_LEVELS.length - 1;
      grant(
        agent,
        start + rng.int(6 * HOUR, 8 * HOUR),
        PERMISSION_LEVELS[level]!,
        '012',
        value,
        'Launch week: publishing allowed while 012 watches',
      );
    }
    // The agents whose trend is the story get enough events for it to show at any volume.
    const eventCount = trends[agent] ? Math.max(perAgent, 60) : perAgent;
    const times = Array.from(
      { length: eventCount },
      () => start + 8 * HOUR + rng.int(0, span - 8 * HOUR),
    ).sort((a, b) => a - b);
    for (const at of times) {
      const successRate =
        trend === 'improving' ? 0.85 : trend === 'degrading' ? 0.3 : trend === 'volatile' ? 0.55 : 0.75;
      const success = rng.chance(successRate);
      const eventType = success
        ? rng.pick(['TESTS_PASSED', 'HUMAN_APPROVAL', 'FIX_VERIFIED'] as const)
        : rng.pick(['TESTS_FAILED', 'HUMAN_REJECTION', 'REGRESSION_DETECTED', 'ROLLBACK'] as const);
      recentFailures = success ? Math.max(0, recentFailures - 1) : recentFailures + 1;
      const multiplier = 1 + 0.5 * Math.min(recentFailures, 4);
      const adjustment = success ? rng.float(0.005, 0.03) : -rng.float(0.01, 0.04) * multiplier;
      const before = value;
      value = Math.min(0.99, Math.max(0.05, value + adjustment));
      const recordedKind: IsoKind = rng.chance(0.85) ? 'naive' : 'aware';
      confidence.push([
        agent,
        Number(before.toFixed(4)),
        Number(value.toFixed(4)),
        eventType,
        success,
        rng.pick(VALIDATIONS[eventType]!),
        pythonIsoformat(new Date(at), recordedKind, rng.int(0, 999)),
        pyJson({
          confidence_adjustment: pyFloat(adjustment, 4),
          base_confidence: pyFloat(before, 4),
          failure_multiplier: pyFloat(multiplier, 2),
          recent_failures: recentFailures,
          details: {
            task: rng.pick(['fix_test', 'draft_post', 'refactor', 'moderate_chat', 'update_docs']),
            run_id: `run_${rng.hex(6)}`,
          },
        }),
      ]);
      const nextLevel = PERMISSION_LEVELS[level + 1];
      if (nextLevel && value >= 0.72 + level * 0.04 && success) {
        level++;
        grant(
          agent,
          at + rng.int(30_000, 20 * MINUTE),
          nextLevel,
          rng.chance(0.6) ? '012' : '0102',
          value,
          `Confidence ${value.toFixed(2)} sustained above threshold for ${nextLevel}`,
        );
      } else if (level > 1 && value < 0.55 && !success) {
        const before = PERMISSION_LEVELS[level]!;
        level--;
        const after = PERMISSION_LEVELS[level]!;
        const when = new Date(at + rng.int(5_000, 5 * MINUTE));
        permissions.push([
          agent,
          'PERMISSION_DOWNGRADE',
          after,
          pythonIsoformat(when, 'aware', rng.int(0, 999)),
          'system_automatic',
          Number(value.toFixed(3)),
          `Confidence fell to ${value.toFixed(2)} after ${recentFailures} recent failures`,
          signature(),
          pyJson({
            event_id: `perm_${rng.hex(12)}`,
            permission_before: before,
            permission_after: after,
            reason: 'confidence_below_threshold',
            downgraded_by: 'system_automatic',
            requires_reapproval: true,
            timestamp: pythonIsoformat(when, 'naive', rng.int(0, 999)),
          }),
        ]);
      }
    }
  }
  // 012 revokes one agent's publishing outright, and one grant simply expires.
  const revokeAt = ctx.now.getTime() - 2 * DAY - 5 * HOUR;
  permissions.push([
    'x_agent',
    'PERMISSION_REVOKED',
    'social_post_publish',
    pythonIsoformat(new Date(revokeAt), 'aware', 120),
    '012',
    0.41,
    'Posted twice without review; publishing revoked until retrained',
    signature(),
    pyJson({ event_id: `perm_${rng.hex(12)}`, requires_reapproval: true }),
  ]);
  permissions.push([
    'pqn_researcher',
    'PERMISSION_EXPIRED',
    'edit_access_src',
    pythonIsoformat(new Date(ctx.now.getTime() - 1 * DAY - 3 * HOUR), 'aware', 7),
    'system_automatic',
    null,
    'Grant reached its 30-day expiry',
    null,
    null,
  ]);
  return [
    {
      table: 'confidence_events',
      columns: [
        'agent_id',
        'confidence_before',
        'confidence_after',
        'event_type',
        'success',
        'validation',
        'recorded_at',
        'metadata_json',
      ],
      rows: confidence,
    },
    {
      table: 'permission_events',
      columns: [
        'agent_id',
        'event_type',
        'permission_level',
        'granted_at',
        'granted_by',
        'confidence',
        'justification',
        'approval_signature',
        'metadata_json',
      ],
      rows: permissions,
    },
  ];
}

const ERROR_KINDS: Record<string, [string, string, string][]> = {
  livechat: [
    [
      'HttpError',
      'ERROR',
      '<HttpError 403 when requesting https://youtube.googleapis.com/youtube/v3/liveChat/messages returned "quotaExceeded">',
    ],
    ['KeyError', 'WARNING', "KeyError: 'authorDetails'"],
    ['ConnectionResetError', 'ERROR', '[Errno 104] Connection reset by peer'],
  ],
  youtube_dae: [
    ['RuntimeError', 'CRITICAL', 'Stream resolver returned no live video for 30 minutes'],
    ['TimeoutError', 'WARNING', 'Heartbeat write took 12.4s'],
  ],
  social_media_orchestrator: [
    ['TimeoutException', 'ERROR', 'Message: timeout: Timed out receiving message from renderer: 30.000'],
    [
      'NoSuchElementException',
      'ERROR',
      'Message: no such element: Unable to locate element: {"method":"css selector","selector":"button.share-actions__primary-action"}',
    ],
    ['WebDriverException', 'CRITICAL', 'Message: chrome not reachable'],
  ],
  holo_index: [
    ['sqlite3.OperationalError', 'ERROR', 'database is locked'],
    ['ValueError', 'WARNING', 'Embedding dimension mismatch: expected 384, got 768'],
  ],
  wre_core: [
    ['AttributeError', 'ERROR', "'NoneType' object has no attribute 'get'"],
    ['JSONDecodeError', 'WARNING', 'Expecting value: line 1 column 1 (char 0)'],
  ],
  foundups_vision: [['PIL.UnidentifiedImageError', 'WARNING', 'cannot identify image file']],
  linkedin_agent: [['PermissionError', 'ERROR', 'LinkedIn session expired (HTTP 401)']],
  stream_resolver: [
    ['HttpError', 'WARNING', '<HttpError 404 when requesting videos?id=... returned "videoNotFound">'],
  ],
};

function traceback(module: string, errorType: string, message: string, rng: Prng): string {
  const file = `modules/${module}/src/${rng.pick(['main', 'worker', 'client', 'handler'])}.py`;
  return [
    'Traceback (most recent call last):',
    `  File "${file}", line ${rng.int(20, 800)}, in ${rng.pick(['run', 'poll', 'process', 'publish'])}`,
    `    result = self.${rng.pick(['client', 'driver', 'api'])}.${rng.pick(['execute', 'get', 'send'])}()`,
    `  File "${file}", line ${rng.int(20, 800)}, in ${rng.pick(['execute', '_request', 'wait'])}`,
    '    raise',
    `${errorType}: ${message}`,
  ].join('\n');
}

export function errorEvents(ctx: TelemetryContext): TableRows {
  const rng = ctx.rng.fork('error_events');
  const { quotaBurst, seleniumBurst } = incidents(ctx.now);
  const start = ctx.now.getTime() - DEMO_DAYS * DAY;
  const rows: unknown[][] = [];
  const push = (module: string, at: number, kind: [string, string, string]) => {
    const [errorType, severity, message] = kind;
    // Some modules log through SQLite's clock, most through datetime.now().isoformat().
    const raised = ['holo_index', 'wre_core'].includes(module)
      ? sqliteTimestamp(new Date(at))
      : pythonIsoformat(new Date(at), 'naive', rng.int(0, 999));
    rows.push([
      module,
      raised,
      severity,
      errorType,
      message,
      severity === 'WARNING' && rng.chance(0.6) ? null : traceback(module, errorType, message, rng),
      pyJson({
        pid: rng.int(1000, 65000),
        host: '012-desktop',
        function: rng.pick(['run', 'poll', 'publish', 'search']),
        attempt: rng.int(1, 3),
      }),
    ]);
  };
  const baseline = Math.round(1800 * ctx.volume);
  for (let i = 0; i < baseline; i++) {
    const source = rng.weighted(
      MODULE_NAMES.map((m, idx) => [m, [5, 3, 4, 3, 2, 1, 1, 1][idx] ?? 1] as const),
    );
    push(source, start + rng.int(0, DEMO_DAYS * DAY - MINUTE), rng.pick(ERROR_KINDS[source]!));
  }
  for (const [burst, count] of [
    [quotaBurst, Math.max(12, Math.round(150 * ctx.volume))],
    [seleniumBurst, Math.max(12, Math.round(200 * ctx.volume))],
  ] as const) {
    for (let i = 0; i < count; i++) {
      push(burst.module, rng.int(burst.start, burst.end - 1), ERROR_KINDS[burst.module]![0]!);
    }
  }
  // A burst at the end of a crash: the daemon's final critical error.
  push('youtube_dae', quotaBurst.end + MINUTE, ERROR_KINDS.youtube_dae![0]!);
  return {
    table: 'error_events',
    columns: [
      'source_module',
      'raised_at',
      'severity',
      'error_type',
      'message',
      'stack_trace',
      'payload_json',
    ],
    rows: sortByTime(rows, 1),
  };
}

const METRICS: [string, string, string, number, number][] = [
  // [metric, unit, module, min, max]
  ['messages_processed', 'count', 'livechat', 0, 120],
  ['response_latency_ms', 'ms', 'livechat', 80, 2400],
  ['api_quota_used', 'units', 'youtube_dae', 50, 900],
  ['stream_viewers', 'count', 'youtube_dae', 3, 480],
  ['posts_published', 'count', 'social_media_orchestrator', 0, 4],
  ['post_latency_s', 's', 'social_media_orchestrator', 2, 45],
  ['search_latency_ms', 'ms', 'holo_index', 12, 900],
  ['index_size_docs', 'count', 'holo_index', 11_800, 12_400],
  ['tokens_used', 'tokens', 'wre_core', 200, 24_000],
  ['pattern_recall_ms', 'ms', 'wre_core', 3, 120],
  ['screenshots_analyzed', 'count', 'foundups_vision', 0, 30],
  ['session_refreshes', 'count', 'linkedin_agent', 0, 3],
  ['resolve_latency_ms', 'ms', 'stream_resolver', 150, 3000],
  ['cache_hit_ratio', 'ratio', 'stream_resolver', 0.2, 0.99],
];

export function metricsEvents(ctx: TelemetryContext): TableRows {
  const rng = ctx.rng.fork('metrics_events');
  const { quotaBurst, seleniumBurst } = incidents(ctx.now);
  const start = ctx.now.getTime() - DEMO_DAYS * DAY;
  const count = Math.round(8000 * ctx.volume);
  const rows: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    const [name, unit, module, min, max] = rng.pick(METRICS);
    const at = start + rng.int(0, DEMO_DAYS * DAY - MINUTE);
    let value = min + (max - min) * rng.next() ** 2;
    if (
      (at >= quotaBurst.start && at < quotaBurst.end && module === 'youtube_dae') ||
      (at >= seleniumBurst.start && at < seleniumBurst.end && module === 'social_media_orchestrator')
    ) {
      value = max * rng.float(1.5, 3);
    }
    const agent = rng.pick(AGENTS.filter((a) => a !== '0102'));
    rows.push([
      name,
      Number(
        unit === 'ratio'
          ? value.toFixed(3)
          : unit === 'count' || unit === 'units' || unit === 'tokens'
            ? Math.round(value)
            : value.toFixed(1),
      ),
      unit,
      module,
      rng.chance(0.1) ? null : agent,
      rng.chance(0.2)
        ? null
        : pyJson({ env: 'prod', host: '012-desktop', ...(rng.chance(0.3) ? { stream: true } : {}) }),
      at % 3 === 0 ? sqliteTimestamp(new Date(at)) : pythonIsoformat(new Date(at), 'naive', rng.int(0, 999)),
    ]);
  }
  return {
    table: 'metrics_events',
    columns: ['metric_name', 'value', 'unit', 'source_module', 'agent_id', 'tags_json', 'recorded_at'],
    rows: sortByTime(rows, 6),
  };
}

export function seleniumSessions(ctx: TelemetryContext): TableRows {
  const rng = ctx.rng.fork('selenium_sessions');
  const start = ctx.now.getTime() - DEMO_DAYS * DAY;
  const count = Math.max(20, Math.round(400 * ctx.volume));
  const urls = [
    'https://www.linkedin.com/feed/',
    'https://www.linkedin.com/company/foundups/admin/',
    'https://x.com/compose/post',
    'https://x.com/home',
    'https://studio.youtube.com/channel/UCfHM9Fw9HD-NwiS0seD_oIA/livestreaming',
    'https://www.youtube.com/@UnDaoDu/streams',
  ];
  const hashes = Array.from({ length: Math.max(5, Math.round(count * 0.7)) }, () => rng.hex(64));
  const times = Array.from({ length: count }, () => start + rng.int(0, DEMO_DAYS * DAY - MINUTE)).sort(
    (a, b) => a - b,
  );
  const rows = times.map((at) => {
    const url = rng.pick(urls);
    const hash = rng.pick(hashes);
    const stamp = new Date(at).toISOString().replace(/[-:]/g, '').slice(0, 15);
    const state = rng.weighted<string>([
      ['logged_in', 80],
      ['login_required', 8],
      ['captcha', 3],
      ['rate_limited', 4],
      ['post_composer_open', 5],
    ]);
    return [
      pythonIsoformat(new Date(at), 'aware', rng.int(0, 999)),
      url,
      rng.chance(0.05) ? null : hash,
      `modules/infrastructure/foundups_vision/data/screenshots/${stamp}_${hash.slice(0, 8)}.png`,
      rng.chance(0.3)
        ? null
        : `modules/infrastructure/foundups_vision/data/annotated/${stamp}_${hash.slice(0, 8)}_annotated.png`,
      pyJson({
        ui_state: state,
        confidence: pyFloat(rng.float(0.6, 0.99), 2),
        model: rng.pick(['gemini-2.5-flash', 'gemma-3-4b-vision']),
        elements: rng.sample(
          ['nav', 'composer', 'post_button', 'login_form', 'captcha_frame', 'feed'],
          rng.int(1, 4),
        ),
        needs_human: state === 'captcha' || state === 'login_required',
      }),
    ];
  });
  return {
    table: 'selenium_sessions',
    columns: ['timestamp', 'url', 'screenshot_hash', 'screenshot_path', 'annotated_path', 'analysis_json'],
    rows,
  };
}

/** Milliseconds of a time in any of the agents' formats (naive ISO, +00:00 ISO, SQLite text; all UTC). */
function agentTimeMs(value: unknown): number {
  const text = String(value);
  return Date.parse(
    `${text
      .replace(' ', 'T')
      .replace(/\+00:00$/, '')
      .slice(0, 23)}Z`,
  );
}

/** Sorts rows by a time column that mixes formats. */
function sortByTime(rows: unknown[][], column: number): unknown[][] {
  return rows
    .map((row) => [agentTimeMs(row[column]), row] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, row]) => row);
}

/**
 * created_at (SQLite's datetime('now') default) as of the event: the agents write each event as it
 * happens. Setting it keeps the demo deterministic instead of stamping the seeding second.
 */
function withCreatedAt(batch: TableRows, timeColumn: string): TableRows {
  const index = batch.columns.indexOf(timeColumn);
  if (index < 0) throw new Error(`${batch.table} has no column ${timeColumn}.`);
  return {
    table: batch.table,
    columns: [...batch.columns, 'created_at'],
    rows: batch.rows.map((row) => [...row, sqliteTimestamp(new Date(agentTimeMs(row[index])))]),
  };
}

export function telemetryTables(ctx: TelemetryContext): TableRows[] {
  const [confidence, permissions] = confidenceAndPermissions(ctx);
  return [
    withCreatedAt(permissions, 'granted_at'),
    withCreatedAt(confidence, 'recorded_at'),
    withCreatedAt(chatMessages(ctx), 'sent_at'),
    withCreatedAt(daemonHealth(ctx), 'heartbeat_at'),
    withCreatedAt(errorEvents(ctx), 'raised_at'),
    withCreatedAt(metricsEvents(ctx), 'recorded_at'),
    seleniumSessions(ctx),
  ];
}
