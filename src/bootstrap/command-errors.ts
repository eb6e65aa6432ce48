/** The command was called wrongly: exit 64 with the message and usage, no stack trace. */
export class UsageError extends Error {}

/** The command ran but could not do what was asked (an unknown id): exit 1 with the message. */
export class CommandFailed extends Error {}
