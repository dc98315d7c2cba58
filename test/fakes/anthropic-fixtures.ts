/**
 * Hand-written response bodies of the OAuth usage/profile endpoints and the Admin API,
 * built by functions so each test states only what it varies.
 */

/** `resets_at` as the API writes it: ISO with microseconds and an offset. */
export function apiIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1123+00:00");
}

export function modernUsageBody(nowMs: number): Record<string, unknown> {
  return {
    five_hour: { utilization: 42.5, resets_at: apiIso(nowMs + 2 * 3600_000) },
    seven_day: { utilization: 18.25, resets_at: apiIso(nowMs + 3 * 86400_000) },
    seven_day_opus: { utilization: 7, resets_at: apiIso(nowMs + 3 * 86400_000) },
    seven_day_sonnet: null,
    seven_day_oauth_apps: null,
    seven_day_cowork: { utilization: 0, resets_at: null },
    iguana_necktie: null,
    extra_usage: {
      is_enabled: true,
      monthly_limit: 5000,
      used_credits: 1234,
      utilization: 24.68,
      currency: "EUR",
    },
    limits: [
      {
        kind: "session",
        group: "default",
        percent: 43,
        severity: "normal",
        resets_at: apiIso(nowMs + 2 * 3600_000),
        scope: null,
        is_active: true,
      },
      {
        kind: "weekly_all",
        group: "default",
        percent: 18,
        severity: "warning",
        resets_at: apiIso(nowMs + 3 * 86400_000),
        scope: null,
        is_active: true,
      },
      {
        kind: "weekly_scoped",
        group: "models",
        percent: 112,
        severity: "warning",
        resets_at: apiIso(nowMs + 4 * 86400_000),
        scope: { model: { id: "claude-sonnet-4-5", display_name: "Sonnet 4.5" } },
        is_active: true,
      },
      {
        kind: "weekly_scoped",
        group: "models",
        percent: 5,
        severity: "normal",
        resets_at: null,
        scope: { model: { id: "claude-haiku-4-5", display_name: "Haiku 4.5" } },
        is_active: false,
      },
    ],
  };
}

/** The older shape (seed 004): only buckets, integer-ish utilization, no limits or extra usage. */
export function legacyUsageBody(nowMs: number): Record<string, unknown> {
  return {
    five_hour: {
      utilization: 78.0,
      resets_at: new Date(nowMs + 3600_000).toISOString().replace("Z", "+00:00"),
    },
    seven_day: null,
    seven_day_oauth_apps: null,
    seven_day_opus: null,
  };
}

export function profileBody(): Record<string, unknown> {
  return {
    account: {
      uuid: "acc-1",
      full_name: "Test User",
      display_name: "Tester",
      email: "tester@example.com",
      has_claude_max: true,
      has_claude_pro: false,
    },
    organization: {
      uuid: "org-1",
      name: "Test Org",
      organization_type: "claude_max",
      billing_type: "stripe_subscription",
      rate_limit_tier: "default_claude_max_20x",
      subscription_status: "active",
    },
  };
}

/** One organization member's Claude Code day from the Admin API, cost in cents (its unit). */
export function adminUsageRecord(date: string, email: string, model: string, cents: number): unknown {
  return {
    date: `${date}T00:00:00Z`,
    actor: { type: "user_actor", email_address: email },
    organization_id: "org",
    customer_type: "api",
    terminal_type: "vscode",
    core_metrics: {
      num_sessions: 2,
      lines_of_code: { added: 10, removed: 4 },
      commits_by_claude_code: 1,
      pull_requests_by_claude_code: 0,
    },
    tool_actions: { edit_tool: { accepted: 3, rejected: 1 } },
    model_breakdown: [
      {
        model,
        tokens: { input: 100, output: 50, cache_read: 1000, cache_creation: 10 },
        estimated_cost: { currency: "USD", amount: cents },
      },
    ],
  };
}
