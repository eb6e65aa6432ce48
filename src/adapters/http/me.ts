import { actingUserId, type ExecutionContext } from "../../application/shared/execution-context.js";

/**
 * The caller's own account id, for `/users/me` routes. An anonymous caller has none: the empty id
 * matches no account, and the handler's requirement refuses the message with 401 before it runs.
 */
export function me(context: ExecutionContext): string {
  return actingUserId(context.principal) ?? "";
}
