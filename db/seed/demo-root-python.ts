/**
 * Python sources of the demo system root that append to its JSONL files, so the audit can name each
 * file's writers (logs/youtube_dae_heartbeat.jsonl has two). Written as the FoundUps modules write
 * them: `open(path, 'a')` or `open(path, "a", encoding="utf-8")`.
 */

export interface PythonWriter {
  path: string;
  /** JSONL files (repository-relative) or folders of JSONL files this source appends to. */
  writes: readonly string[];
  source: string;
}

export const PYTHON_WRITERS: readonly PythonWriter[] = [
  {
    path: 'modules/communication/livechat/src/heartbeat_service.py',
    writes: ['logs/youtube_dae_heartbeat.jsonl'],
    source: `"""YouTube DAE heartbeat service (WSP 91): one JSON line every 30-60 seconds."""
import json
import os
import time
from datetime import datetime

import psutil

HEARTBEAT_LOG = "logs/youtube_dae_heartbeat.jsonl"


class HeartbeatService:
    def __init__(self, run_id):
        self.run_id = run_id
        self.started = time.time()
        self.errors_detected = 0
        self.fixes_applied = 0

    def beat(self, stream_video_id=None):
        record = {
            "timestamp": datetime.now().isoformat(),
            "status": "healthy" if self.errors_detected <= 3 else "degraded",
            "uptime_seconds": round(time.time() - self.started, 2),
            "stream_active": stream_video_id is not None,
            "stream_video_id": stream_video_id,
            "memory_usage_mb": round(psutil.Process(os.getpid()).memory_info().rss / 1e6, 1),
            "cpu_usage_percent": psutil.cpu_percent(),
            "errors_detected": self.errors_detected,
            "fixes_applied": self.fixes_applied,
            "run_id": self.run_id,
            "automation_gates": {"auto_post": True, "auto_moderate": True, "requires_012_review": True},
        }
        os.makedirs("logs", exist_ok=True)
        with open(HEARTBEAT_LOG, 'a') as f:
            f.write(json.dumps(record) + "\\n")

    def event(self, name, **details):
        with open(HEARTBEAT_LOG, 'a') as f:
            f.write(json.dumps({"timestamp": datetime.now().isoformat(), "event": name, **details}) + "\\n")
`,
  },
  {
    path: 'modules/communication/livechat/src/auto_moderator_dae.py',
    writes: ['logs/youtube_dae_heartbeat.jsonl', 'modules/communication/livechat/memory/chat_logs/'],
    source: `"""Auto-moderator DAE: moderates live chat, logs every message, and writes its own heartbeat."""
import json
import os
from datetime import datetime, timezone
from pathlib import Path

CHAT_LOG_DIR = Path("modules/communication/livechat/memory/chat_logs")


class AutoModeratorDAE:
    def __init__(self):
        self.heartbeat_count = 0
        self.started = datetime.now()

    def log_message(self, video_id, message):
        CHAT_LOG_DIR.mkdir(parents=True, exist_ok=True)
        record = {
            "timestamp": datetime.now(timezone.utc).isoformat(),
            "user_id": message["author_id"],
            "username": message["author_name"],
            "stream_id": video_id,
            "message": message["text"],
            "message_type": message.get("type", "chat"),
            "is_moderator": message.get("is_moderator", False),
        }
        with open(CHAT_LOG_DIR / f"{video_id}.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\\n")

    def write_heartbeat(self, stats):
        self.heartbeat_count += 1
        record = {
            "timestamp": datetime.now().isoformat(),
            "status": "running",
            "stream_active": stats["stream_active"],
            "chat_messages_per_min": stats["messages_per_min"],
            "moderation_actions": stats["moderation_actions"],
            "banter_responses": stats["banter_responses"],
            "uptime_seconds": int((datetime.now() - self.started).total_seconds()),
            "memory_mb": stats["memory_mb"],
            "cpu_percent": stats["cpu_percent"],
            "heartbeat_count": self.heartbeat_count,
            "pid": os.getpid(),
        }
        with open("logs/youtube_dae_heartbeat.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\\n")
`,
  },
  {
    path: 'modules/ai_intelligence/agent_permissions/src/agent_permission_manager.py',
    writes: [
      'modules/ai_intelligence/agent_permissions/memory/permission_events.jsonl',
      'modules/ai_intelligence/agent_permissions/memory/confidence_events.jsonl',
    ],
    source: `"""Graduated agent permissions (WSP 77) and the confidence tracker that drives them."""
import hashlib
import json
import uuid
from datetime import datetime, timedelta

PERMISSION_EVENTS = "modules/ai_intelligence/agent_permissions/memory/permission_events.jsonl"
CONFIDENCE_EVENTS = "modules/ai_intelligence/agent_permissions/memory/confidence_events.jsonl"


def _append(path, record):
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\\n")


def grant_permission(agent_id, permission, granted_by, confidence, justification):
    now = datetime.now()
    record = {
        "event_id": f"perm_{uuid.uuid4().hex[:12]}",
        "event_type": "PERMISSION_GRANTED",
        "agent_id": agent_id,
        "permission": permission,
        "granted_by": granted_by,
        "granted_at": now.isoformat(),
        "expires_at": (now + timedelta(days=30)).isoformat(),
        "confidence_at_grant": confidence,
        "justification": justification,
    }
    record["approval_signature"] = "sha256:" + hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
    _append(PERMISSION_EVENTS, record)


def downgrade_permission(agent_id, before, after, reason):
    _append(PERMISSION_EVENTS, {
        "event_id": f"perm_{uuid.uuid4().hex[:12]}",
        "event_type": "PERMISSION_DOWNGRADE",
        "agent_id": agent_id,
        "permission_before": before,
        "permission_after": after,
        "reason": reason,
        "downgraded_by": "system_automatic",
        "requires_reapproval": True,
        "timestamp": datetime.now().isoformat(),
    })


def record_confidence(agent_id, success, event_type, before, after, **details):
    with open(CONFIDENCE_EVENTS, 'a') as f:
        f.write(json.dumps({
            "agent_id": agent_id,
            "success": success,
            "timestamp": datetime.now().isoformat(),
            "event_type": event_type,
            "confidence_before": before,
            "confidence_after": after,
            "details": details,
        }) + "\\n")
`,
  },
  {
    path: 'modules/infrastructure/foundups_vision/src/vision_session_logger.py',
    writes: ['modules/infrastructure/foundups_vision/memory/vision_sessions.jsonl'],
    source: `"""Logs every browser screenshot analysis (selenium + vision model)."""
import json
from datetime import datetime, timezone

SESSION_LOG = "modules/infrastructure/foundups_vision/memory/vision_sessions.jsonl"


def log_vision_analysis(url, payload, analysis):
    entry = {"timestamp": datetime.now(timezone.utc).isoformat(), "event": "vision_analyze", "url": url, "payload": payload, "analysis": analysis}
    with open(SESSION_LOG, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\\n")
`,
  },
  {
    path: 'holo_index/monitoring/search_metrics.py',
    writes: ['holo_index/logs/search_metrics.jsonl'],
    source: `"""HoloIndex search telemetry."""
import json
from datetime import datetime

METRICS_LOG = "holo_index/logs/search_metrics.jsonl"


def record_search(latency_ms, results, agent_id="0102"):
    for metric, value, unit in (("search_latency_ms", latency_ms, "ms"), ("results_returned", results, "count")):
        with open(METRICS_LOG, 'a') as f:
            f.write(json.dumps({"timestamp": datetime.now().isoformat(), "metric": metric, "value": value, "unit": unit,
                                "module": "holo_index", "agent_id": agent_id, "tags": {"env": "prod"}}) + "\\n")
`,
  },
  {
    path: 'modules/platform_integration/social_media_orchestrator/src/dae_monitor.py',
    writes: [
      'modules/platform_integration/social_media_orchestrator/logs/social_media_dae_heartbeat.jsonl',
      'modules/platform_integration/social_media_orchestrator/logs/errors.jsonl',
    ],
    source: `"""Social media DAE: heartbeat and error log."""
import json
import traceback
from datetime import datetime, timezone

HEARTBEAT = "modules/platform_integration/social_media_orchestrator/logs/social_media_dae_heartbeat.jsonl"
ERRORS = "modules/platform_integration/social_media_orchestrator/logs/errors.jsonl"


def heartbeat(stats):
    with open(HEARTBEAT, "a", encoding="utf-8") as f:
        f.write(json.dumps({"timestamp": datetime.now(timezone.utc).isoformat(), "status": "healthy", **stats}) + "\\n")


def log_error(exc, level="ERROR", **context):
    with open(ERRORS, "a", encoding="utf-8") as f:
        f.write(json.dumps({"timestamp": datetime.now().isoformat(), "module": "social_media_orchestrator", "level": level,
                            "error_type": type(exc).__name__, "message": str(exc),
                            "traceback": traceback.format_exc(), "context": context}) + "\\n")
`,
  },
];
