import type { ContextModule } from "./context/context-module.js";
import { permissionList } from "./context/contributions.js";

export const PERMISSIONS_USAGE =
  "keel permissions   list every permission the contexts and enabled plugins declare, with the roles that hold it by default";

/**
 * The permission list, as a Markdown table: each context and plugin declares its own (ContextModule.permissions),
 * so this is generated rather than kept by hand. AUTH__ROLE_PERMISSIONS replaces the default roles.
 */
export function permissionsCommand(contexts: readonly ContextModule[], print: (line: string) => void): void {
  print("| permission | declared by | allows | granted by default to |");
  print("| --- | --- | --- | --- |");
  for (const permission of permissionList(contexts))
    print(
      `| \`${permission.name}\` | ${permission.declaredBy} | ${permission.description} | ${permission.grantedTo.join(", ") || "(no role)"} |`,
    );
}
