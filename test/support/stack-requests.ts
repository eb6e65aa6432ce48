/**
 * Requests against a production stack as its fault tests send them: each timed from the client's
 * side and never left hanging (a hang fails the test instead of stalling it), tallied by status and
 * code, with the stack's admin signed in.
 */
import { recordIssuedSecret, recordSecret } from "./output-record.js";
import { type ProductionStack, STACK_ADMIN } from "./production-stack.js";

/** A request still unanswered after this is given up on (status 0), far above any bound under test. */
const GIVE_UP_MS = 15_000;

export interface Answer {
  /** 0 when no answer came (connection error, or given up after GIVE_UP_MS). */
  readonly status: number;
  readonly ms: number;
  /** The envelope's code, or the OAuth2 error, or what went wrong when there was no answer. */
  readonly code: string | undefined;
  readonly retryAfter: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field
  readonly body: any;
}

/** One request (keep-alive, as fetch does by default), timed from just before it is sent. */
export async function timed(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    json?: unknown;
    form?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const started = performance.now();
  const headers = {
    ...(init.json === undefined ? {} : { "content-type": "application/json" }),
    ...(init.form === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
    ...init.headers,
  };
  const body =
    init.json !== undefined
      ? JSON.stringify(init.json)
      : init.form !== undefined
        ? new URLSearchParams(init.form).toString()
        : undefined;
  try {
    const response = await fetch(url, {
      method: init.method ?? "GET",
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(GIVE_UP_MS),
    });
    const text = await response.text();
    const parsed = response.headers.get("content-type")?.includes("json") && text ? JSON.parse(text) : text;
    // The suite's secret scan looks for these in every output (keel's logs included).
    recordSecret("password", init.form?.password);
    recordIssuedSecret("access token", parsed?.access_token);
    recordIssuedSecret("refresh token", parsed?.refresh_token);
    return {
      status: response.status,
      ms: performance.now() - started,
      code: parsed?.code ?? parsed?.error,
      retryAfter: response.headers.get("retry-after"),
      body: parsed,
    };
  } catch (error) {
    return {
      status: 0,
      ms: performance.now() - started,
      code: error instanceof Error ? error.message : String(error),
      retryAfter: null,
      body: undefined,
    };
  }
}

/** Pauses the scenario (a fault's length, load between faults): never used to wait for a result. */
export function hold(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lines of a process's JSON log. */
export function logLines(stdout: string): { level?: number; msg?: string; [key: string]: unknown }[] {
  return stdout.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

/** Signs in as the stack's admin and returns the authorization header; fails the test otherwise. */
export async function adminHeaders(stack: ProductionStack): Promise<Record<string, string>> {
  const answer = await timed(`${stack.url("serve")}/api/v1/auth/token`, {
    method: "POST",
    form: { grant_type: "password", username: STACK_ADMIN.email, password: STACK_ADMIN.password },
  });
  if (answer.status !== 200) throw new Error(`the admin could not sign in: ${answer.status} ${answer.code}`);
  return { authorization: `Bearer ${answer.body.access_token}` };
}

/** "503 SERVICE_UNAVAILABLE ×12, 200 OK ×3000": how often each status and code came back. */
export function tally(answers: readonly Answer[]): string {
  const counts = new Map<string, number>();
  for (const answer of answers) {
    const key = `${answer.status} ${answer.code ?? ""}`.trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key} ×${n}`)
    .join(", ");
}
