import { type Prng, YOUTUBE_ID_ALPHABET } from './random';
import { pyFloat, pyJson, pythonIsoformat, sqliteTimestamp } from './python-formats';
import { FIRST_NAMES, IDENTITIES, LAST_NAMES, PLATFORMS, TONES } from './vocabulary';
import type { TableRows } from './writers';

/**
 * ~300 agent-written social posts in every workflow state, written as the agents' Python would:
 * `created_at` in SQLite's UTC `YYYY-MM-DD HH:MM:SS`, `reviewed_at` / `posted_at` as naive
 * `datetime.now().isoformat()` (the demo's agents keep UTC clocks), `metadata` as `json.dumps(dict)` or NULL.
 */

export const POST_COLUMNS = [
  'post_id',
  'platform',
  'post_type',
  'identity',
  'target_url',
  'target_author',
  'content',
  'tone',
  'trigger_context',
  'status',
  'review_notes',
  'reviewed_at',
  'posted_at',
  'created_at',
  'metadata',
] as const;

export const DEMO_POST_COUNT = 300;
export const DEMO_PENDING_COUNT = 40;

const TOPICS = [
  'community-owned startups',
  'venture capital as gatekeeper',
  'AI agents that build companies',
  'token economics without speculation',
  'open-source governance',
  'the 0102 awakening',
  'pair programming with agents',
  'decentralised autonomous companies',
  'living in rural Japan',
  'the WSP protocols',
  'why equity should follow contribution',
  'automating the boring parts of a startup',
];

const TEMPLATES: Record<(typeof TONES)[number], string[]> = {
  pushback: [
    'Respectfully, {author}, the argument about {topic} skips the hard part: who owns the upside? FoundUps flips that, contributors own it from day one.',
    'Your VC model is dead, {author}. {topic} is not a pitch deck problem, it is an ownership problem.',
    'I disagree. {topic} will not be solved by another accelerator cohort; it needs agents and founders sharing the same cap table.',
  ],
  warm: [
    'Love this, {author}! {topic} is exactly what we are exploring at FoundUps. Would be great to compare notes.',
    'Thank you for sharing, {author}. Your point on {topic} made my morning.',
    'Such a thoughtful take on {topic}. Saving this one.',
  ],
  informative: [
    'Quick primer on {topic}: 1) start with the problem, 2) let agents do the repetitive work, 3) share ownership with everyone who contributes.',
    'New write-up on {topic} is live. Short version: the protocols matter more than the tools.',
    'We measured it: agents handled 73% of routine tasks this week. Notes on {topic} in the comments.',
  ],
  humorous: [
    'My agent just opened a pull request titled "fix everything". Bold. Anyway, {topic}.',
    'Day 12 of explaining {topic} to my cat. She is now a co-founder.',
    'If {topic} had a mascot it would be a very tired rubber duck.',
  ],
  visionary: [
    'Imagine a world where {topic} is the default and the startup is owned by the people and agents who build it. That is what FoundUps is for.',
    'In ten years nobody will ask for permission to start a company. {topic} is the first step.',
    'The next unicorn will not have a board. It will have a protocol. {topic}.',
  ],
  supportive: [
    'Rooting for you, {author}. {topic} needs more builders like you.',
    'This is the kind of work that moves {topic} forward. Happy to help test it.',
    'Great progress! If you need eyes on {topic}, ping us.',
  ],
  provocative: [
    'Unpopular opinion: {topic} makes most startup advice obsolete.',
    'Hot take: the founder is the bottleneck. {topic} removes it.',
    'Why are we still pretending {topic} is optional?',
  ],
};

const POST_TYPES: Record<(typeof PLATFORMS)[number], readonly (readonly [string, number])[]> = {
  linkedin: [
    ['post', 5],
    ['comment', 6],
    ['article_share', 1],
  ],
  x: [
    ['post', 4],
    ['reply', 5],
    ['thread', 1],
    ['quote', 1],
  ],
  youtube: [
    ['comment', 6],
    ['reply', 3],
    ['community_post', 1],
  ],
  reddit: [
    ['comment', 4],
    ['post', 1],
  ],
  facebook: [
    ['post', 2],
    ['comment', 2],
  ],
  discord: [['message', 1]],
};

const REJECTION_NOTES = [
  'Too aggressive for LinkedIn.',
  'Off-topic for this thread.',
  'Factually wrong: we never claimed that.',
  'Duplicate of a post from yesterday.',
  "Tone does not match the identity's voice.",
  "Exceeds X's 280-character limit.",
  'Contains an unverified number.',
  'Replying to a troll; do not engage.',
  'Mentions a person without consent.',
];
const APPROVAL_NOTES = [
  'good pushback',
  'ship it',
  'Nice, on brand.',
  'Approved with minor wording tweak.',
  'ok',
];

const TRIGGERS = [
  'Scheduled weekly update',
  'Reply to mention by @{author}',
  'Livestream started: "{topic}"',
  'Trending topic detected: #{tag}',
  'Comment on video by {author} (relevance 0.87)',
  'Follow-up to our post from last week',
  'Keyword watch: "{topic}"',
];

const MODELS = ['qwen-1.5b', 'gemma-3-270m', 'grok-3', 'claude-sonnet', 'gpt-5-codex'];
const SUBREDDITS = ['startups', 'Entrepreneur', 'japanlife', 'MachineLearning', 'opensource', 'Futurology'];

function person(rng: Prng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

function handle(rng: Prng): string {
  return `${rng.pick(FIRST_NAMES).toLowerCase()}_${rng.pick(LAST_NAMES).toLowerCase()}${rng.int(1, 99)}`;
}

function targetFor(rng: Prng, platform: string): { url: string; author: string } {
  switch (platform) {
    case 'linkedin':
      return {
        url: `https://www.linkedin.com/feed/update/urn:li:activity:${rng.int(7_100_000, 7_399_999)}${rng.int(100_000_000, 999_999_999)}/`,
        author: person(rng),
      };
    case 'x': {
      const author = handle(rng);
      return {
        url: `https://x.com/${author}/status/${rng.int(1_800_000_000, 1_999_999_999)}${rng.int(100_000_000, 999_999_999)}`,
        author: `@${author}`,
      };
    }
    case 'youtube':
      return {
        url: `https://www.youtube.com/watch?v=${rng.chars(YOUTUBE_ID_ALPHABET, 11)}&lc=Ugz${rng.chars(YOUTUBE_ID_ALPHABET, 20)}`,
        author: `@${handle(rng)}`,
      };
    case 'reddit':
      return {
        url: `https://www.reddit.com/r/${rng.pick(SUBREDDITS)}/comments/${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 7)}/`,
        author: `u/${handle(rng)}`,
      };
    case 'facebook':
      return {
        url: `https://www.facebook.com/groups/foundups/posts/${rng.int(100_000_000, 999_999_999)}${rng.int(100_000, 999_999)}/`,
        author: person(rng),
      };
    default:
      return {
        url: `https://discord.com/channels/${rng.int(1e8, 9e8)}${rng.int(1e8, 9e8)}/${rng.int(1e8, 9e8)}`,
        author: handle(rng),
      };
  }
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}

/** Text an agent would write for a platform; LinkedIn posts run longer, X stays under 280. */
function contentFor(
  rng: Prng,
  platform: string,
  postType: string,
  tone: (typeof TONES)[number],
  author: string,
): string {
  const topic = rng.pick(TOPICS);
  let text = fill(rng.pick(TEMPLATES[tone]), { author: author || 'friend', topic });
  if (platform === 'linkedin' && postType === 'post') {
    text += `\n\n${fill(rng.pick(TEMPLATES.informative), { author, topic })}\n\n#FoundUps #${rng.pick(['startups', 'AI', 'ownership', 'future'])}`;
  }
  if (platform === 'x' && text.length > 270) text = `${text.slice(0, 266).trimEnd()}...`;
  if (postType === 'thread') text = `1/ ${text}\n\n2/ More on ${topic} below.`;
  return text;
}

interface PostDraft {
  platform: string;
  postType: string;
  identity: string | null;
  targetUrl: string | null;
  targetAuthor: string | null;
  content: string;
  tone: string | null;
  trigger: string | null;
  metadata: Record<string, unknown> | null;
}

/** Contents the review screen must render safely and legibly; they land in the pending queue. */
function hostileDrafts(rng: Prng): PostDraft[] {
  const base = {
    trigger: 'Reply to mention by @edge_case_tester',
    metadata: { generator: 'qwen-1.5b', edge_case: true },
  };
  const longX =
    'Thread-worthy thought that should have been a thread: ' +
    'community ownership beats extraction every single time, and here is why, point by point, with numbers we measured across twelve weeks of running agents on real tasks. '.repeat(
      4,
    );
  return [
    {
      ...base,
      platform: 'linkedin',
      postType: 'comment',
      identity: 'FoundUps',
      targetUrl: 'javascript:alert(document.cookie)',
      targetAuthor: '<img src=x onerror=alert(1)>',
      content:
        '<script>alert("xss")</script> Great post! <b>Bold</b> claim, <a href="javascript:alert(1)">click here</a> <img src=x onerror="alert(document.cookie)"> & more &amp; entities',
      tone: 'warm',
    },
    {
      ...base,
      platform: 'x',
      postType: 'post',
      identity: 'UnDaoDu',
      targetUrl: null,
      targetAuthor: null,
      content: longX.trim(),
      tone: 'visionary',
    },
    {
      ...base,
      platform: 'x',
      postType: 'reply',
      identity: 'GeoZai',
      targetUrl: `https://x.com/${handle(rng)}/status/1899${rng.int(100000000000000, 999999999999999)}`,
      targetAuthor: '@مستخدم_عربي',
      content: 'مرحباً بالجميع! المستقبل للشركات التي يملكها مجتمعها — FoundUps تبني ذلك الآن. 🚀 #FoundUps',
      tone: 'supportive',
    },
    {
      ...base,
      platform: 'facebook',
      postType: 'comment',
      identity: 'Move2Japan',
      targetUrl: `https://www.facebook.com/groups/foundups/posts/${rng.int(100_000_000, 999_999_999)}/`,
      targetAuthor: 'דנה כהן',
      content: 'שלום לכולם! mixed RTL/LTR: הסטארט-אפ של 2026 is owned by its builders (100%) — ?נכון',
      tone: 'warm',
    },
    {
      ...base,
      platform: 'youtube',
      postType: 'comment',
      identity: 'Move2Japan',
      targetUrl: `https://www.youtube.com/watch?v=${rng.chars(YOUTUBE_ID_ALPHABET, 11)}`,
      targetAuthor: '@🔥fan🔥',
      content: '🚀🔥 Loved this stream!! 👩🏽‍💻👨‍👩‍👧‍👦 🇯🇵❤️‍🔥 ZWJ sequences, skin tones and flags in one line 🏳️‍🌈 ✨',
      tone: 'humorous',
    },
    {
      ...base,
      platform: 'reddit',
      postType: 'comment',
      identity: null,
      targetUrl: 'https://www.reddit.com/r/startups/comments/abc1234/',
      targetAuthor: "u/robert'); DROP TABLE agents_social_posts;--",
      content:
        'Robert\'); DROP TABLE agents_social_posts;-- said "quotes", back\\slashes\\, a tab\there, zero\u200bwidth and a NUL-free line\nsecond line\n\n\n    indented with spaces',
      tone: null,
      metadata: null,
    },
  ];
}

function draftFor(rng: Prng, index: number): PostDraft {
  const platform = rng.weighted<string>([
    ['linkedin', 30],
    ['x', 25],
    ['youtube', 25],
    ['reddit', 8],
    ['facebook', 8],
    ['discord', 4],
  ]);
  const postType = rng.weighted(POST_TYPES[platform as (typeof PLATFORMS)[number]]);
  const isReply = ['comment', 'reply', 'quote'].includes(postType);
  const target = isReply ? targetFor(rng, platform) : null;
  const identity = rng.chance(0.03)
    ? null
    : rng.weighted<string>(IDENTITIES.map((name, i) => [name, [5, 4, 3, 1, 1, 1][i] ?? 1] as const));
  const tone = rng.chance(0.04) ? null : rng.pick(TONES);
  const content = contentFor(rng, platform, postType, tone ?? 'informative', target?.author ?? '');
  const topicTag = rng.pick(['FoundUps', 'AI', 'startups', 'Japan', 'web3', 'opensource']);
  const trigger = rng.chance(0.1)
    ? null
    : fill(rng.pick(TRIGGERS), {
        author: target?.author ?? handle(rng),
        topic: rng.pick(TOPICS),
        tag: topicTag,
      });
  const metadata = rng.chance(0.15)
    ? null
    : {
        generator: rng.pick(MODELS),
        agent: rng.pick(['social_media_dae', 'linkedin_agent', 'x_agent', 'youtube_dae'] as const),
        confidence: pyFloat(rng.float(0.55, 0.98), 2),
        char_count: content.length,
        hashtags: rng.sample(['#FoundUps', '#AI', '#startups', '#0102', '#ownership'], rng.int(0, 3)),
        draft_version: rng.int(1, 3),
        sequence: index,
      };
  return {
    platform,
    postType,
    identity,
    targetUrl: target?.url ?? null,
    targetAuthor: target?.author ?? null,
    content,
    tone,
    trigger,
    metadata,
  };
}

type Status = 'draft' | 'pending_review' | 'approved' | 'rejected' | 'posted' | 'publish_failed';

/**
 * Status by recency: the newest 40 wait for review; older ones were mostly decided and published.
 * One post carries a status the agents' code never writes ('publish_failed'): the console must show
 * unknown values as they are.
 */
function statusFor(rng: Prng, ageRank: number): Status {
  if (ageRank < DEMO_PENDING_COUNT) return 'pending_review';
  return rng.weighted<Status>([
    ['draft', 5],
    ['approved', 9],
    ['rejected', 19],
    ['posted', 67],
  ]);
}

const UNREVIEWED_POSTED_RANK = 201;
const WHOLE_SECOND_REVIEW_RANK = 57;
const GUARANTEED_STATUSES: readonly (readonly [number, Status])[] = [
  [41, 'draft'],
  [42, 'approved'],
  [43, 'rejected'],
  [44, 'posted'],
  [130, 'publish_failed'],
  [250, 'approved'],
  [WHOLE_SECOND_REVIEW_RANK, 'approved'],
  [UNREVIEWED_POSTED_RANK, 'posted'],
];

export function demoPosts(rng: Prng, now: Date): TableRows {
  const nowMs = now.getTime();
  const hostile = hostileDrafts(rng.fork('hostile'));
  // Creation times: the pending queue spans the last ~18 hours, older posts the 14 days before.
  const times: number[] = [];
  for (let i = 0; i < DEMO_POST_COUNT; i++) {
    times.push(
      i < DEMO_PENDING_COUNT
        ? nowMs - rng.int(60, 18 * 3600) * 1000
        : nowMs - rng.int(19 * 3600, 14 * 86400) * 1000,
    );
  }
  times.sort((a, b) => b - a); // newest first: rank 0 is the newest
  const rows: unknown[][] = [];
  const hostileRanks = new Map(hostile.map((draft, i) => [3 + i * 6, draft] as const));
  const statuses = times.map((_, rank) => statusFor(rng, rank));
  // Every state is present whatever the seed (a stale approval, an unknown status, a post published unreviewed).
  for (const [rank, status] of GUARANTEED_STATUSES) statuses[rank] = status;
  for (let rank = 0; rank < DEMO_POST_COUNT; rank++) {
    const created = new Date(Math.floor(times[rank]! / 1000) * 1000);
    const draft = hostileRanks.get(rank) ?? draftFor(rng, rank);
    const status = statuses[rank]!;
    let reviewNotes: string | null = null;
    let reviewedAt: string | null = null;
    let postedAt: string | null = null;
    const reviewedMs = Math.min(nowMs - 60_000, created.getTime() + rng.int(10 * 60, 18 * 3600) * 1000);
    // Python's clock has sub-second precision; created_at (SQLite's) has whole seconds.
    const reviewed = new Date(Math.max(created.getTime() + 1000, reviewedMs) + rng.int(0, 999));
    // Python omits the fraction when microsecond == 0; one review shows it.
    const reviewedText =
      rank === WHOLE_SECOND_REVIEW_RANK
        ? pythonIsoformat(new Date(Math.floor(reviewed.getTime() / 1000) * 1000), 'naive')
        : pythonIsoformat(reviewed, 'naive', rng.int(0, 999));
    if (status === 'approved' || status === 'publish_failed') {
      reviewNotes = rng.chance(0.5) ? rng.pick(APPROVAL_NOTES) : null;
      reviewedAt = reviewedText;
    } else if (status === 'rejected') {
      reviewNotes = rng.pick(REJECTION_NOTES);
      reviewedAt = reviewedText;
    } else if (status === 'posted') {
      reviewNotes = rng.chance(0.3) ? rng.pick(APPROVAL_NOTES) : null;
      // One post was published without any review (the agents' code checks nothing).
      reviewedAt = rank === UNREVIEWED_POSTED_RANK ? null : reviewedText;
      const posted = new Date(
        Math.min(nowMs - 1000, reviewed.getTime() + rng.int(60, 90 * 60) * 1000 + rng.int(0, 999)),
      );
      postedAt = pythonIsoformat(posted, 'naive', rng.int(0, 999));
    }
    const metadata =
      status === 'publish_failed'
        ? {
            ...(draft.metadata ?? {}),
            last_error: 'LinkedIn session expired (HTTP 401) while publishing',
            attempts: 3,
          }
        : draft.metadata;
    rows.push([
      rng.uuid4(),
      draft.platform,
      draft.postType,
      draft.identity,
      draft.targetUrl,
      draft.targetAuthor,
      draft.content,
      draft.tone,
      draft.trigger,
      status,
      reviewNotes,
      reviewedAt,
      postedAt,
      sqliteTimestamp(created),
      metadata ? pyJson(metadata) : null,
    ]);
  }
  // Inserted oldest first, so ids grow with time as they do when the agents write them.
  rows.reverse();
  return { table: 'agents_social_posts', columns: POST_COLUMNS, rows };
}
