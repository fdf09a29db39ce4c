import { type Prng, YOUTUBE_ID_ALPHABET } from './random';
import { pyFloat, pyJson, pythonIsoformat } from './python-formats';
import {
  AGENTS,
  CONFIDENCE_EVENT_TYPES,
  FIRST_NAMES,
  LAST_NAMES,
  MODULES,
  PERMISSION_LEVELS,
} from './vocabulary';

/**
 * The JSONL telemetry files of the demo system root, in the shapes SCHEMA.md describes and with the
 * defects real append-only files have: blank lines, duplicates, a truncated last line, CRLF line
 * endings, a UTF-8 BOM, a malformed line, a Python repr written instead of JSON and wrong-typed
 * fields. Each generator returns the exact bytes.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The consolidated table a file's records belong to; 'unknown' for a shape no importer knows. */
export type JsonlDomain =
  | 'permission_events'
  | 'confidence_events'
  | 'chat_messages'
  | 'daemon_health'
  | 'selenium_sessions'
  | 'error_events'
  | 'metrics_events'
  | 'unknown';

export interface JsonlContext {
  rng: Prng;
  now: Date;
}

export interface JsonlFile {
  path: string;
  domain: JsonlDomain;
  /** The defects this file carries, for tests and documentation. */
  defects: readonly (
    | 'blank-lines'
    | 'duplicates'
    | 'truncated-last-line'
    | 'crlf'
    | 'bom'
    | 'malformed-line'
    | 'python-repr'
    | 'wrong-type'
    | 'other-shapes'
    | 'non-ascii'
  )[];
  build: (ctx: JsonlContext) => Buffer;
}

/** A write time with Python's microsecond precision (loops step in whole seconds; writes do not land on them). */
const iso = (ms: number, rng: Prng, kind: 'naive' | 'aware' = 'naive') =>
  pythonIsoformat(new Date(ms + rng.int(0, 999)), kind, rng.int(0, 999));

function times(rng: Prng, count: number, from: number, to: number): number[] {
  return Array.from({ length: count }, () => rng.int(from, to - 1)).sort((a, b) => a - b);
}

/** Python's `f.write(json.dumps(record) + "\n")`, file by file. */
function linesToBuffer(
  lines: string[],
  options: { crlf?: boolean; bom?: boolean; truncateLast?: boolean } = {},
): Buffer {
  const eol = options.crlf ? '\r\n' : '\n';
  let text = lines.map((line) => line + eol).join('');
  if (options.truncateLast && lines.length > 0) {
    // The writer died mid-line: the last record stops part-way, without a newline.
    const last = lines[lines.length - 1]!;
    text =
      text.slice(0, text.length - last.length - eol.length) + last.slice(0, Math.floor(last.length * 0.6));
  }
  return Buffer.concat([
    options.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
    Buffer.from(text, 'utf8'),
  ]);
}

/** Sprinkles blank lines and duplicate records the way restarts and retries leave them. */
function roughen(rng: Prng, lines: string[], blanks: number, duplicates: number): string[] {
  const out = [...lines];
  for (let i = 0; i < duplicates; i++) {
    const at = rng.int(0, out.length - 1);
    out.splice(at + 1, 0, out[at]!);
  }
  for (let i = 0; i < blanks; i++) out.splice(rng.int(1, out.length - 1), 0, '');
  return out;
}

function permissionLines(ctx: JsonlContext, count: number, from: number, to: number): string[] {
  const { rng } = ctx;
  return times(rng, count, from, to).map((at) => {
    const agent = rng.pick(AGENTS);
    if (rng.chance(0.2)) {
      const before = rng.pick(PERMISSION_LEVELS.slice(2));
      return pyJson({
        event_id: `perm_${rng.hex(12)}`,
        event_type: 'PERMISSION_DOWNGRADE',
        agent_id: agent,
        permission_before: before,
        permission_after: PERMISSION_LEVELS[PERMISSION_LEVELS.indexOf(before) - 1],
        reason: rng.pick(['confidence_below_threshold', 'human_rejection_streak', 'regression_detected']),
        downgraded_by: 'system_automatic',
        requires_reapproval: true,
        timestamp: iso(at, rng),
      });
    }
    const confidence = rng.float(0.6, 0.97);
    return pyJson({
      event_id: `perm_${rng.hex(12)}`,
      event_type: 'PERMISSION_GRANTED',
      agent_id: agent,
      permission: rng.pick(PERMISSION_LEVELS),
      granted_by: rng.pick(['012', '0102', 'system_automatic']),
      granted_at: iso(at, rng),
      expires_at: iso(at + 30 * DAY, rng),
      confidence_at_grant: pyFloat(confidence, 3),
      justification: rng.pick([
        'Sustained success rate above 0.75',
        'Approved by 012 after review',
        'Needed for telemetry (WSP 77)',
      ]),
      approval_signature: `sha256:${rng.hex(64)}`,
    });
  });
}

const permissions: JsonlFile['build'] = (ctx) => {
  const end = ctx.now.getTime();
  return linesToBuffer(roughen(ctx.rng, permissionLines(ctx, 320, end - 14 * DAY, end), 4, 5));
};

const rotatedPermissions: JsonlFile['build'] = (ctx) => {
  const end = ctx.now.getTime() - 14 * DAY;
  // Written on Windows: every line ends in CRLF.
  return linesToBuffer(permissionLines(ctx, 180, end - 30 * DAY, end), { crlf: true });
};

const confidence: JsonlFile['build'] = (ctx) => {
  const { rng } = ctx;
  const end = ctx.now.getTime();
  const values = new Map<string, number>();
  const lines = times(rng, 1500, end - 14 * DAY, end).map((at, i) => {
    const agent = rng.pick(AGENTS);
    const before = values.get(agent) ?? rng.float(0.5, 0.85);
    const success = rng.chance(0.7);
    const recent = success ? 0 : rng.int(1, 4);
    const multiplier = 1 + 0.5 * recent;
    const adjustment = success ? rng.float(0.005, 0.03) : -rng.float(0.01, 0.04) * multiplier;
    const after = Math.min(0.99, Math.max(0.05, before + adjustment));
    values.set(agent, after);
    const record = {
      agent_id: agent,
      // A writer once sent strings for booleans and numbers.
      success: i === 700 ? 'true' : success,
      timestamp: iso(at, rng),
      event_type: rng.pick(
        success
          ? CONFIDENCE_EVENT_TYPES.filter((t) =>
              ['TESTS_PASSED', 'HUMAN_APPROVAL', 'FIX_VERIFIED'].includes(t),
            )
          : ['TESTS_FAILED', 'HUMAN_REJECTION', 'ROLLBACK'],
      ),
      confidence_adjustment: pyFloat(adjustment, 4),
      validation: rng.pick(['pytest', 'human_review', 'error_rate', 'lint']),
      details: {
        task: rng.pick(['fix_test', 'draft_post', 'refactor', 'moderate_chat']),
        files: rng.int(0, 6),
      },
      confidence_before: i === 701 ? before.toFixed(4) : pyFloat(before, 4),
      confidence_after: pyFloat(after, 4),
      base_confidence: pyFloat(before, 4),
      failure_multiplier: pyFloat(multiplier, 1),
      recent_failures: recent,
    };
    // And once wrote str(record) — a Python repr, not JSON.
    if (i === 1200)
      return `{'agent_id': '${agent}', 'success': ${success ? 'True' : 'False'}, 'timestamp': '${iso(at, rng)}', 'event_type': 'TESTS_PASSED', 'details': None}`;
    return pyJson(record);
  });
  return linesToBuffer(lines);
};

const CHAT = [
  'hello from Tokyo!',
  'lol',
  'こんにちは！',
  '🔥🔥🔥',
  'how do I join FoundUps?',
  'MAGA 2028',
  'W stream',
  '0102 ✊✋🖐',
  'مرحبا',
  'is the audio ok?',
  '<b>bold?</b>',
  'gg',
];

function chatLog(
  videoId: string,
  count: number,
  offsetDays: number,
  options: { bom?: boolean },
): JsonlFile['build'] {
  return (ctx) => {
    const { rng } = ctx;
    const start = ctx.now.getTime() - offsetDays * DAY - 3 * HOUR;
    const users = Array.from({ length: 60 }, () => ({
      id: `UC${rng.chars(YOUTUBE_ID_ALPHABET, 22)}`,
      name: `${rng.pick(FIRST_NAMES)}${rng.pick(LAST_NAMES)}`,
    }));
    const lines = times(rng, count, start, start + 2 * HOUR).map((at) => {
      const user = rng.pick(users);
      const bot = rng.chance(0.06);
      // This writer uses ensure_ascii=False: Japanese, Arabic and emoji stay as UTF-8.
      return pyJson(
        {
          timestamp: iso(at, rng, 'aware'),
          user_id: bot ? 'UC_FoundUps_0102_bot_000' : user.id,
          username: bot ? 'FoundUps 0102' : user.name,
          stream_id: videoId,
          message: bot ? `@${user.name} ✊✋🖐 welcome!` : rng.pick(CHAT),
          message_type: bot ? 'bot_response' : rng.chance(0.02) ? 'superchat' : 'chat',
          is_moderator: bot,
        },
        { ensureAscii: false },
      );
    });
    return linesToBuffer(roughen(rng, lines, 2, 6), { bom: options.bom });
  };
}

/** The two writers of logs/youtube_dae_heartbeat.jsonl, interleaved, over the last ~20 hours. */
const youtubeHeartbeat: JsonlFile['build'] = (ctx) => {
  const { rng } = ctx;
  const end = ctx.now.getTime() - 30_000;
  const start = end - 20 * HOUR;
  const gap = [end - 9 * HOUR, end - 7 * HOUR - 40 * MINUTE] as const;
  const video = rng.chars(YOUTUBE_ID_ALPHABET, 11);
  const lines: [number, string][] = [];
  let uptime = 0;
  let count = 0;
  let errors = 0;
  const runId = `run_${rng.hex(8)}`;
  for (let t = start; t < end; t += rng.int(30, 60) * 1000) {
    if (t >= gap[0] && t < gap[1]) {
      t = gap[1];
      uptime = 0;
      lines.push([
        t,
        pyJson({
          timestamp: iso(t, rng),
          event: 'daemon_restart',
          reason: 'watchdog',
          previous_run_id: runId,
        }),
      ]);
    }
    uptime += 45;
    if (rng.chance(0.01)) errors++;
    const streaming = t > end - 3 * HOUR;
    lines.push([
      t,
      pyJson({
        timestamp: iso(t, rng),
        status: errors > 3 ? 'degraded' : 'healthy',
        uptime_seconds: pyFloat(uptime + rng.float(0, 1), 2),
        stream_active: streaming,
        stream_video_id: streaming ? video : null,
        memory_usage_mb: pyFloat(rng.float(180, 360), 1),
        cpu_usage_percent: pyFloat(rng.float(1, 30), 1),
        errors_detected: errors,
        fixes_applied: Math.floor(errors / 2),
        run_id: runId,
        automation_gates: { auto_post: true, auto_moderate: true, requires_012_review: true },
      }),
    ]);
  }
  // The auto-moderator writes its own heartbeats into the same file every ~2 minutes.
  for (let t = start + 17_000; t < end; t += rng.int(100, 140) * 1000) {
    if (t >= gap[0] && t < gap[1]) continue;
    count++;
    const streaming = t > end - 3 * HOUR;
    lines.push([
      t,
      pyJson({
        timestamp: iso(t, rng),
        status: 'running',
        stream_active: streaming,
        chat_messages_per_min: streaming ? rng.int(4, 80) : 0,
        moderation_actions: streaming ? rng.int(0, 3) : 0,
        banter_responses: streaming ? rng.int(0, 5) : 0,
        uptime_seconds: count === 200 ? String(count * 120) : count * 120,
        memory_mb: pyFloat(rng.float(150, 300), 1),
        cpu_percent: pyFloat(rng.float(0.5, 20), 1),
        heartbeat_count: count,
        pid: 48213,
      }),
    ]);
  }
  lines.push([
    end - 3 * HOUR,
    pyJson({
      timestamp: iso(end - 3 * HOUR, rng),
      event: 'stream_started',
      video_id: video,
      title: 'Move2Japan LIVE',
    }),
  ]);
  lines.push([
    end - 12 * HOUR,
    pyJson({
      timestamp: iso(end - 12 * HOUR, rng),
      event: 'quota_exhausted',
      credential_set: 2,
      switched_to: 3,
    }),
  ]);
  lines.sort((a, b) => a[0] - b[0]);
  return linesToBuffer(
    roughen(
      rng,
      lines.map(([, line]) => line),
      5,
      3,
    ),
    { truncateLast: true },
  );
};

const socialHeartbeat: JsonlFile['build'] = (ctx) => {
  const { rng } = ctx;
  const end = ctx.now.getTime() - 2 * HOUR - 15 * MINUTE;
  const lines: string[] = [];
  let beats = 0;
  for (let t = end - 16 * HOUR; t < end; t += rng.int(30, 60) * 1000) {
    beats++;
    lines.push(
      pyJson({
        timestamp: iso(t, rng, 'aware'),
        status: 'healthy',
        uptime_seconds: beats * 45,
        stream_active: false,
        queue_depth: rng.int(0, 12),
        posts_last_hour: rng.int(0, 4),
        memory_usage_mb: pyFloat(rng.float(200, 500), 1),
        cpu_usage_percent: pyFloat(rng.float(1, 40), 1),
        errors_detected: rng.int(0, 2),
      }),
    );
  }
  return linesToBuffer(lines, { truncateLast: true });
};

function visionSessions(count: number, urls: readonly string[]): JsonlFile['build'] {
  return (ctx) => {
    const { rng } = ctx;
    const end = ctx.now.getTime();
    const lines = times(rng, count, end - 14 * DAY, end).map((at) => {
      const hash = rng.hex(64);
      if (rng.chance(0.08))
        return pyJson({
          timestamp: iso(at, rng, 'aware'),
          event: rng.pick(['session_start', 'session_end', 'login_refresh']),
          browser: 'chrome',
          profile: rng.pick(['linkedin_main', 'x_foundups', 'youtube_move2japan']),
        });
      return pyJson({
        timestamp: iso(at, rng, 'aware'),
        event: 'vision_analyze',
        url: rng.pick(urls),
        payload: {
          screenshot_path: `modules/infrastructure/foundups_vision/data/screenshots/${hash.slice(0, 12)}.png`,
          screenshot_hash: hash,
          viewport: { width: 1280, height: 720 },
        },
        analysis: {
          ui_state: rng.pick(['logged_in', 'login_required', 'captcha', 'composer_open']),
          confidence: pyFloat(rng.float(0.6, 0.99), 2),
          needs_human: rng.chance(0.1),
        },
      });
    });
    return linesToBuffer(lines);
  };
}

const TRACEBACK =
  'Traceback (most recent call last):\n  File "modules/communication/livechat/src/livechat_core.py", line 412, in poll\n    response = self.youtube.liveChatMessages().list(**params).execute()\nHttpError: <HttpError 403 "quotaExceeded">';

function errorLog(
  module: string,
  count: number,
  options: { malformed?: boolean; duplicates?: number },
): JsonlFile['build'] {
  return (ctx) => {
    const { rng } = ctx;
    const end = ctx.now.getTime();
    const lines = times(rng, count, end - 14 * DAY, end).map((at) =>
      pyJson({
        timestamp: iso(at, rng),
        module,
        level: rng.weighted<string>([
          ['ERROR', 6],
          ['WARNING', 3],
          ['CRITICAL', 1],
        ]),
        error_type: rng.pick(['HttpError', 'TimeoutException', 'KeyError', 'ConnectionResetError']),
        message: rng.pick([
          'quotaExceeded',
          'Timed out receiving message from renderer: 30.000',
          "'authorDetails'",
          'Connection reset by peer',
        ]),
        traceback: rng.chance(0.5) ? TRACEBACK : null,
        context: { pid: rng.int(1000, 65000), attempt: rng.int(1, 3) },
      }),
    );
    if (options.malformed) {
      // A line cut by a concurrent writer, and a stray traceback line printed into the log.
      lines.splice(
        Math.floor(lines.length / 2),
        0,
        `{"timestamp": "${iso(end - 5 * DAY, rng)}", "module": "${module}", "level": "ERROR", "message": "unterminated`,
      );
      lines.splice(Math.floor(lines.length / 3), 0, 'Traceback (most recent call last):');
    }
    return linesToBuffer(roughen(rng, lines, 1, options.duplicates ?? 0));
  };
}

function metricsLog(
  module: string,
  metrics: readonly [string, string, number, number][],
  count: number,
  options: { wrongType?: boolean },
): JsonlFile['build'] {
  return (ctx) => {
    const { rng } = ctx;
    const end = ctx.now.getTime();
    const lines = times(rng, count, end - 14 * DAY, end).map((at, i) => {
      const [metric, unit, min, max] = rng.pick(metrics);
      const value = Number((min + (max - min) * rng.next()).toFixed(2));
      return pyJson({
        timestamp: iso(at, rng),
        metric,
        // One writer version logged numbers as strings, another logged None.
        value:
          options.wrongType && i % 97 === 13 ? String(value) : options.wrongType && i === 400 ? null : value,
        unit,
        module,
        agent_id: rng.pick(AGENTS),
        tags: { env: 'prod', host: '012-desktop' },
      });
    });
    return linesToBuffer(roughen(rng, lines, options.wrongType ? 0 : 3, 0));
  };
}

const pqnLog: JsonlFile['build'] = (ctx) => {
  const { rng } = ctx;
  const lines: string[] = [];
  for (let run = 1; run <= 8; run++) {
    for (let step = 0; step < 25; step++) {
      lines.push(
        pyJson({
          run,
          step,
          phi: pyFloat(rng.float(0.4, 0.8), 4),
          resonance_hz: pyFloat(rng.float(6.5, 7.6), 3),
          du_resonance: rng.chance(0.1),
          notes: rng.chance(0.05) ? 'coherence spike' : null,
        }),
      );
    }
  }
  return linesToBuffer(lines);
};

const OTHER_MODULE_PATH = MODULES.find(([name]) => name === 'social_media_orchestrator')![1];

export const JSONL_FILES: readonly JsonlFile[] = [
  {
    path: 'modules/ai_intelligence/agent_permissions/memory/permission_events.jsonl',
    domain: 'permission_events',
    defects: ['blank-lines', 'duplicates'],
    build: permissions,
  },
  {
    path: 'modules/ai_intelligence/agent_permissions/memory/permission_events.1.jsonl',
    domain: 'permission_events',
    defects: ['crlf'],
    build: rotatedPermissions,
  },
  {
    path: 'modules/ai_intelligence/agent_permissions/memory/confidence_events.jsonl',
    domain: 'confidence_events',
    defects: ['wrong-type', 'python-repr'],
    build: confidence,
  },
  {
    path: 'modules/communication/livechat/memory/chat_logs/Xk3mQ9vLp2A.jsonl',
    domain: 'chat_messages',
    defects: ['bom', 'duplicates', 'blank-lines', 'non-ascii'],
    build: chatLog('Xk3mQ9vLp2A', 1200, 1, { bom: true }),
  },
  {
    path: 'modules/communication/livechat/memory/chat_logs/b7_RtY0cWq4.jsonl',
    domain: 'chat_messages',
    defects: ['duplicates', 'blank-lines', 'non-ascii'],
    build: chatLog('b7_RtY0cWq4', 800, 3, {}),
  },
  {
    path: 'logs/youtube_dae_heartbeat.jsonl',
    domain: 'daemon_health',
    defects: ['other-shapes', 'blank-lines', 'duplicates', 'truncated-last-line', 'wrong-type'],
    build: youtubeHeartbeat,
  },
  {
    path: `${OTHER_MODULE_PATH}/logs/social_media_dae_heartbeat.jsonl`,
    domain: 'daemon_health',
    defects: ['truncated-last-line'],
    build: socialHeartbeat,
  },
  {
    path: 'modules/infrastructure/foundups_vision/memory/vision_sessions.jsonl',
    domain: 'selenium_sessions',
    defects: ['other-shapes'],
    build: visionSessions(420, [
      'https://www.linkedin.com/feed/',
      'https://x.com/compose/post',
      'https://studio.youtube.com/',
    ]),
  },
  {
    path: 'modules/infrastructure/foundups_selenium/memory/browser_sessions.jsonl',
    domain: 'selenium_sessions',
    defects: ['other-shapes'],
    build: visionSessions(300, ['https://www.linkedin.com/company/foundups/admin/', 'https://x.com/home']),
  },
  {
    path: 'logs/errors/livechat_errors.jsonl',
    domain: 'error_events',
    defects: ['malformed-line', 'blank-lines'],
    build: errorLog('livechat', 600, { malformed: true }),
  },
  {
    path: `${OTHER_MODULE_PATH}/logs/errors.jsonl`,
    domain: 'error_events',
    defects: ['duplicates', 'blank-lines'],
    build: errorLog('social_media_orchestrator', 400, { duplicates: 8 }),
  },
  {
    path: 'holo_index/logs/search_metrics.jsonl',
    domain: 'metrics_events',
    defects: ['blank-lines'],
    build: metricsLog(
      'holo_index',
      [
        ['search_latency_ms', 'ms', 12, 900],
        ['results_returned', 'count', 0, 20],
      ],
      1500,
      {},
    ),
  },
  {
    path: 'modules/infrastructure/wre_core/logs/wre_metrics.jsonl',
    domain: 'metrics_events',
    defects: ['wrong-type'],
    build: metricsLog(
      'wre_core',
      [
        ['tokens_used', 'tokens', 200, 24000],
        ['pattern_recall_ms', 'ms', 3, 120],
      ],
      700,
      { wrongType: true },
    ),
  },
  {
    path: 'modules/ai_intelligence/pqn_alignment/data/pqn_research_log.jsonl',
    domain: 'unknown',
    defects: [],
    build: pqnLog,
  },
  // Inside folders every scan must skip.
  { path: 'node_modules/sqlite-test-fixtures/events.jsonl', domain: 'unknown', defects: [], build: pqnLog },
  { path: '.git/logs/telemetry.jsonl', domain: 'unknown', defects: [], build: pqnLog },
];

/** Files under node_modules/ or .git/: present so scans can prove they skip them. */
export function isIgnoredPath(path: string): boolean {
  return (
    path.startsWith('node_modules/') ||
    path.startsWith('.git/') ||
    path.includes('/node_modules/') ||
    path.includes('/.git/')
  );
}
