import type { Middleware } from "koa";
import type { LiveConfig } from "../../../ports/live-config.js";
import type { AppState } from "../app-state.js";
import { HttpError } from "../http-error.js";

export interface VersionPolicy {
  readonly deprecated: boolean;
  /** ISO date after which the version may be removed. */
  readonly sunset?: string;
}

export interface ApiVersionSettings {
  readonly defaultVersion: string;
  /** Deprecation per version, reloaded live. */
  readonly policies: Readonly<Record<string, VersionPolicy>>;
}

const VERSIONED = /^\/api\/(v\d+)(\/.*)?$/;
const UNVERSIONED = /^\/api(\/.*)?$/;

/**
 * Resolves the API version from the URL (`/api/v2/...`) or, for `/api/...`, from the
 * `X-API-Version` header (default from config), and routes header-versioned requests to the same
 * handlers by rewriting the path. An unknown version is a 400 naming the supported ones.
 */
export function apiVersion(
  supported: readonly string[],
  settings: LiveConfig<ApiVersionSettings>,
): Middleware<AppState> {
  const unsupported = (version: string) =>
    new HttpError(
      400,
      "UNSUPPORTED_API_VERSION",
      `API version ${version} is not supported; supported versions: ${supported.join(", ")}`,
    );

  return async (ctx, next) => {
    const inUrl = VERSIONED.exec(ctx.path);
    let version: string;
    if (inUrl !== null) {
      version = inUrl[1] ?? "";
      if (!supported.includes(version)) throw unsupported(version);
    } else {
      const plain = UNVERSIONED.exec(ctx.path);
      if (plain === null) return next();
      ctx.vary("X-API-Version");
      version = ctx.get("X-API-Version").trim() || settings.get().defaultVersion;
      if (!supported.includes(version)) throw unsupported(version);
      ctx.path = `/api/${version}${plain[1] ?? ""}`;
    }
    ctx.state.apiVersion = version;
    ctx.set("X-API-Version", version);
    const policy = settings.get().policies[version];
    if (policy?.deprecated) {
      ctx.set("Deprecation", "true");
      if (policy.sunset !== undefined)
        ctx.set("Sunset", new Date(`${policy.sunset}T00:00:00Z`).toUTCString());
    }
    await next();
  };
}
