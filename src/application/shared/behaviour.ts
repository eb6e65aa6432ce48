import type { Handler, Message } from "./message.js";

/**
 * One step of the bus pipeline (logging, authorization, unit of work, ...). It may act before and
 * after `next`, or call `next` again (the unit of work retries on a concurrency conflict).
 */
export interface Behaviour {
  handle<TResult>(
    message: Message<TResult>,
    next: () => Promise<TResult>,
    handler: Handler<Message<TResult>>,
  ): Promise<TResult>;
}
