import { SpanKind, type Tracer } from "@opentelemetry/api";
import type { Mailer } from "../../ports/mailer.js";
import { inSpan } from "./keel-tracing.js";

/** A CLIENT span per e-mail sent. No recipient, subject or text: those are personal data. */
export function tracedMailer(inner: Mailer, tracer: Tracer, driver: string): Mailer {
  return {
    send: (mail) =>
      inSpan(
        tracer,
        "send mail",
        { kind: SpanKind.CLIENT, leaf: true, attributes: { "keel.mail.driver": driver } },
        () => inner.send(mail),
      ),
  };
}
