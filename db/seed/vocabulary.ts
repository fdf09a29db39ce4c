/** The names the demo data is made of: the FoundUps system's own agents, modules and identities. */

export const AGENTS = [
  '0102',
  'gemma',
  'qwen',
  'grok',
  'claude_code',
  'gpt5_codex',
  'holo_index',
  'ai_overseer',
  'wre_orchestrator',
  'youtube_dae',
  'social_media_dae',
  'linkedin_agent',
  'x_agent',
  'vision_dae',
  'idle_automation',
  'pqn_researcher',
  'gemma_validator',
  'qwen_advisor',
  'doc_dae',
  'git_push_dae',
] as const;

/** Modules that emit telemetry: [name, path in the repository, domain]. */
export const MODULES = [
  ['livechat', 'modules/communication/livechat', 'communication'],
  ['youtube_dae', 'modules/communication/youtube_dae', 'communication'],
  [
    'social_media_orchestrator',
    'modules/platform_integration/social_media_orchestrator',
    'platform_integration',
  ],
  ['holo_index', 'holo_index', 'infrastructure'],
  ['wre_core', 'modules/infrastructure/wre_core', 'infrastructure'],
  ['foundups_vision', 'modules/infrastructure/foundups_vision', 'infrastructure'],
  ['linkedin_agent', 'modules/platform_integration/linkedin_agent', 'platform_integration'],
  ['stream_resolver', 'modules/platform_integration/stream_resolver', 'platform_integration'],
] as const;

export const MODULE_NAMES = MODULES.map(([name]) => name);

/** Further registry-only modules (the documentation registry knows more modules than emit telemetry). */
export const REGISTRY_EXTRA_MODULES = [
  ['chat_rules', 'modules/communication/chat_rules', 'communication'],
  ['agent_permissions', 'modules/ai_intelligence/agent_permissions', 'ai_intelligence'],
  ['pqn_alignment', 'modules/ai_intelligence/pqn_alignment', 'ai_intelligence'],
  ['banter_engine', 'modules/ai_intelligence/banter_engine', 'ai_intelligence'],
  ['x_twitter', 'modules/platform_integration/x_twitter', 'platform_integration'],
  ['youtube_auth', 'modules/platform_integration/youtube_auth', 'platform_integration'],
  ['whack_a_magat', 'modules/gamification/whack_a_magat', 'gamification'],
  ['simulator', 'modules/foundups/simulator', 'foundups'],
  ['git_push_dae', 'modules/infrastructure/git_push_dae', 'infrastructure'],
  ['idle_automation', 'modules/infrastructure/idle_automation', 'infrastructure'],
  ['doc_dae', 'modules/infrastructure/doc_dae', 'infrastructure'],
  ['ai_overseer', 'modules/ai_intelligence/ai_overseer', 'ai_intelligence'],
] as const;

export const IDENTITIES = ['UnDaoDu', 'FoundUps', 'Move2Japan', 'eduit', 'GeoZai', 'Foundups_012'] as const;

export const PLATFORMS = ['linkedin', 'x', 'youtube', 'reddit', 'facebook', 'discord'] as const;

export const TONES = [
  'pushback',
  'warm',
  'informative',
  'humorous',
  'visionary',
  'supportive',
  'provocative',
] as const;

/** The daemons that write heartbeats. */
export const DAEMONS = ['youtube_dae', 'social_media_dae', 'holo_dae'] as const;

export const PERMISSION_LEVELS = [
  'read_only',
  'metrics_write',
  'edit_access_tests',
  'edit_access_docs',
  'edit_access_src',
  'social_post_draft',
  'social_post_publish',
] as const;

export const CONFIDENCE_EVENT_TYPES = [
  'TESTS_PASSED',
  'TESTS_FAILED',
  'HUMAN_APPROVAL',
  'HUMAN_REJECTION',
  'FIX_VERIFIED',
  'REGRESSION_DETECTED',
  'ROLLBACK',
] as const;

export const WSP_NUMBERS = [
  'WSP 3',
  'WSP 11',
  'WSP 22',
  'WSP 27',
  'WSP 48',
  'WSP 49',
  'WSP 50',
  'WSP 54',
  'WSP 60',
  'WSP 77',
  'WSP 78',
  'WSP 80',
];

export const FIRST_NAMES = [
  'Kenji',
  'Aiko',
  'Marcus',
  'Priya',
  'Diego',
  'Fatima',
  'Lukas',
  'Mei',
  'Olu',
  'Sven',
  'Yuki',
  'Amara',
  'Noah',
  'Sofia',
  'Ravi',
  'Hana',
];
export const LAST_NAMES = [
  'Tanaka',
  'Okafor',
  'Schmidt',
  'Patel',
  'Garcia',
  'Haddad',
  'Nilsen',
  'Chen',
  'Adeyemi',
  'Kowalski',
  'Sato',
  'Rossi',
];
