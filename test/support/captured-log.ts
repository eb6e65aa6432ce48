import { Writable } from "node:stream";
import { recordOutput } from "./output-record.js";

/** A log destination that keeps every line, so tests can read what keel logged. */
export class CapturedLog extends Writable {
  private readonly chunks: string[] = [];

  constructor() {
    super();
    recordOutput("log", () => this.text());
  }

  override _write(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    this.chunks.push(chunk.toString());
    done();
  }

  lines(): Record<string, unknown>[] {
    return this.chunks
      .join("")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  text(): string {
    return this.chunks.join("");
  }
}
