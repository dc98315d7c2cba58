/** Claude Code statusline payloads for tests. */
export interface PayloadOptions {
  sessionId?: string;
  costUsd?: number;
  modelName?: string;
  rateLimits?: unknown;
  padToBytes?: number;
}

export function statuslinePayload(nowMs: number, opts: PayloadOptions = {}): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    hook_event_name: "Status",
    session_id: opts.sessionId ?? "session-a",
    transcript_path: "/home/u/.claude/projects/-home-u-app/session-a.jsonl",
    cwd: "/home/u/app",
    version: "2.1.0",
    model: { id: "claude-opus-4-5-20251101", display_name: opts.modelName ?? "Opus 4.5" },
    workspace: { current_dir: "/home/u/app", project_dir: "/home/u/app" },
    cost: {
      total_cost_usd: opts.costUsd ?? 1.5,
      total_duration_ms: 1000,
      total_api_duration_ms: 800,
      total_lines_added: 3,
      total_lines_removed: 1,
    },
    context_window: {
      total_input_tokens: 1000,
      total_output_tokens: 200,
      context_window_size: 200000,
      used_percentage: 1,
    },
    exceeds_200k_tokens: false,
  };
  if (opts.rateLimits !== undefined) {
    payload.rate_limits = opts.rateLimits;
  } else {
    payload.rate_limits = {
      five_hour: {
        used_percentage: 42,
        resets_at: Math.floor((nowMs + (2 * 60 + 13) * 60_000 + 30_000) / 1000),
      },
      seven_day: {
        used_percentage: 18.4,
        resets_at: Math.floor((nowMs + (3 * 24 + 4) * 3600_000 + 30_000) / 1000),
      },
    };
  }
  if (opts.padToBytes) {
    const size = JSON.stringify(payload).length;
    payload.padding_for_test = "x".repeat(Math.max(0, opts.padToBytes - size - 25));
  }
  return payload;
}
