import type { Container } from "inversify";
import type { Command } from "../../application/shared/message.js";
import type { MessageBus } from "../../application/shared/message-bus.js";
import { CreateUser } from "../../application/user/register-user.js";
import { EmailAlreadyRegistered } from "../../domain/user/user-errors.js";
import { Logger } from "../../ports/logger.js";
import { UserRepository } from "../../ports/user-repository.js";
import type { AppConfig } from "../config/index.js";
import type { Component } from "../lifecycle.js";
import { Tokens } from "../tokens.js";

/**
 * Creates the configured admin at start-up when no account has its address, so a newcomer can sign
 * in at once (development defaults: admin@keel.local with a marked password, refused in production;
 * production seeds only when both settings are given). An existing account is left as it is: its
 * password is never reset from config.
 */
export function bootstrapAdmin(container: Container, config: AppConfig): void {
  const { email, password } = config.auth.bootstrapAdmin;
  if (email === undefined || password === undefined) return;
  container.bind(Tokens.Components).toResolvedValue(
    (users: UserRepository, commands: MessageBus<Command<unknown>>, logger: Logger): Component => ({
      name: "bootstrap-admin",
      start: async () => {
        try {
          if ((await users.idOfEmail(email.trim().toLowerCase())) !== undefined) return;
          const created = await commands.dispatch(
            new CreateUser(
              { principal: { kind: "system", name: "bootstrap-admin" }, correlationId: "bootstrap-admin" },
              { email, password, givenName: "Admin", familyName: "Bootstrap", roles: ["admin"] },
            ),
          );
          logger.info({ userId: created.id, email }, "bootstrap admin created");
        } catch (error) {
          // Another instance starting at the same moment created it first.
          if (error instanceof EmailAlreadyRegistered) return;
          // Typically pending migrations (no users table yet): readiness already reports those, and
          // serving the rest beats refusing to start over a convenience.
          logger.warn(
            { err: error, email },
            "bootstrap admin not created; it will be at the next start once the database is migrated",
          );
        }
      },
      stop: async () => {},
    }),
    [UserRepository, Tokens.CommandBus, Logger],
  );
}
