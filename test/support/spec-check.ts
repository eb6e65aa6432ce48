import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/**
 * Holds answers to the OpenAPI document that describes them: for one operation, is the status one it
 * declares, does the body match that status's schema ($refs resolved against the document's
 * components), and is it free of anything a client must never see (a 5xx, a stack trace).
 */

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI documents are read field by field
export type OpenApiDocument = any;

/** What came back, as sent: the raw text is what a stack trace would show in. */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** `METHOD /path/{template}`, as the document's paths spell it. */
export type OperationKey = string;

const COMPONENTS = "#/components/schemas/";

/** A stack frame (`at fn (file.ts:1:2)`), or a source path with a line number: what a leak looks like. */
const STACK_TRACE =
  /\n\s+at\s|\bat\s[^\s()]+\s\([^)]*:\d+:\d+\)|[\w/.-]+\.(?:[cm]?[jt]s):\d+:\d+|node_modules\//;

export class SpecCheck {
  private readonly ajv: Ajv2020;
  private readonly id: string;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    readonly document: OpenApiDocument,
    name: string,
  ) {
    this.ajv = new Ajv2020({ strict: true, allErrors: true, strictTypes: false });
    addFormats.default(this.ajv);
    // OpenAPI's own format annotation for secrets: a plain string.
    if (this.ajv.formats.password === undefined) this.ajv.addFormat("password", true);
    this.id = `urn:keel:openapi:${name}`;
    const components = (document.components?.schemas ?? {}) as Record<string, unknown>;
    this.ajv.addSchema({ $id: this.id, $defs: this.relocated(components) });
  }

  /** The problems with one answer to one operation; none when it is what the document says. */
  check(method: string, path: string, answer: Answer): string[] {
    const operation = this.document.paths?.[path]?.[method.toLowerCase()];
    if (operation === undefined) return [`${method} ${path} is not in the document`];
    const problems: string[] = [];
    if (answer.status >= 500) problems.push(`answered ${answer.status}, a server error`);
    if (STACK_TRACE.test(answer.text)) problems.push("the body shows a stack trace or a source path");
    const declared = operation.responses?.[String(answer.status)] ?? operation.responses?.default;
    if (declared === undefined) {
      problems.push(
        `status ${answer.status} is not declared (declared: ${Object.keys(operation.responses ?? {}).join(", ")})`,
      );
      return problems;
    }
    const media = declared.content as Record<string, { schema?: unknown }> | undefined;
    if (media === undefined || Object.keys(media).length === 0) {
      if (answer.text !== "")
        problems.push(`status ${answer.status} declares no body, got ${clip(answer.text)}`);
      return problems;
    }
    const type = answer.contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    const entry = media[type];
    if (entry === undefined) {
      problems.push(`content type "${answer.contentType}" is not one of ${Object.keys(media).join(", ")}`);
      return problems;
    }
    if (entry.schema === undefined) return problems;
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      problems.push(`the body is not JSON: ${clip(answer.text)}`);
      return problems;
    }
    const validate = this.validator(`${method} ${path} ${answer.status} ${type}`, entry.schema);
    if (!validate(body))
      problems.push(
        `the body does not match the declared schema: ${this.ajv.errorsText(validate.errors, { separator: "; " })}; body ${clip(answer.text)}`,
      );
    return problems;
  }

  /** Compiles a schema of the document (every response and request schema can be checked this way). */
  validator(key: string, schema: unknown): ValidateFunction {
    let known = this.validators.get(key);
    if (known === undefined) {
      known = this.ajv.compile(this.relocated(schema) as object);
      this.validators.set(key, known);
    }
    return known;
  }

  /** The schema with `#/components/schemas/X` pointing into the definitions registered above. */
  private relocated<T>(schema: T): T {
    return JSON.parse(
      JSON.stringify(schema, (key, value) =>
        key === "$ref" && typeof value === "string" && value.startsWith(COMPONENTS)
          ? `${this.id}#/$defs/${value.slice(COMPONENTS.length)}`
          : value,
      ),
    ) as T;
  }
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
