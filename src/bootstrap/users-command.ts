import type { Command } from "../application/shared/message.js";
import type { MessageBus } from "../application/shared/message-bus.js";
import { CreateUser } from "../application/user/register-user.js";
import { DomainError } from "../domain/shared/domain-error.js";
import { email as normalisedEmail } from "../domain/user/email.js";
import { CommandFailed, UsageError } from "./command-errors.js";
import type { ConfigStore } from "./config/index.js";
import type { Composition } from "./container.js";
import { Tokens } from "./tokens.js";
import { withAdapters } from "./with-adapters.js";

export const USERS_USAGE =
  "keel users create <email> [role ...]   (the password is read from standard input)";

/**
 * Opens an account from the command line, with roles, for operators: the production way to make
 * the first admin without a password in the environment (`AUTH__BOOTSTRAP_ADMIN__*`). The password
 * comes from standard input, so it is in neither the shell history nor the process list.
 */
export async function usersCommand(
  store: ConfigStore,
  args: readonly string[],
  readPassword: () => Promise<string>,
  print: (line: string) => void,
  composition: Composition = {},
): Promise<void> {
  const [action, email, ...rest] = args;
  if (action !== "create" || email === undefined) throw new UsageError(`usage: ${USERS_USAGE}`);
  const { roles, given, family } = parseOptions(rest);
  const password = await readPassword();
  if (password === "") throw new UsageError("no password on standard input");
  await withAdapters(
    store,
    async (container) => {
      const commands = container.get<MessageBus<Command<unknown>>>(Tokens.CommandBus);
      try {
        const created = await commands.dispatch(
          new CreateUser(
            { principal: { kind: "system", name: "cli" }, correlationId: "cli-users-create" },
            {
              email,
              password,
              givenName: given ?? email.split("@")[0] ?? email,
              familyName: family ?? "User",
              roles,
            },
          ),
        );
        print(
          `created user ${created.id} (${normalisedEmail(email)}) with roles: ${roles.join(", ") || "none"}`,
        );
      } catch (error) {
        if (error instanceof DomainError) throw new CommandFailed(error.message);
        throw error;
      }
    },
    composition,
  );
}

function parseOptions(args: readonly string[]): { roles: string[]; given?: string; family?: string } {
  const roles: string[] = [];
  const named: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--given" || arg === "--family") {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      named[arg.slice(2)] = value;
    } else if (arg.startsWith("--")) {
      throw new UsageError(`unknown option ${arg}; usage: ${USERS_USAGE}`);
    } else {
      roles.push(arg);
    }
  }
  return {
    roles,
    ...(named.given ? { given: named.given } : {}),
    ...(named.family ? { family: named.family } : {}),
  };
}

/** The first line of standard input, without its line ending. */
export async function firstLineOfStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  return text.split(/\r?\n/)[0] ?? "";
}
