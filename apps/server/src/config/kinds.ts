import { resolve } from "node:path";
import { parseAllowList } from "../egress/index.js";
import { formatDuration, parseDuration } from "../util/time.js";

/**
 * How one kind of setting is read, checked and shown. `parse` only turns environment text into a
 * value; `check` validates a value whether it came from the environment or from code
 * (`resolveConfig`), so both paths give the same messages. Every message names the variable.
 */
export interface Kind<T> {
  /** Environment text (trimmed, non-empty) → value; pushes a problem and returns undefined when it is not one. */
  parse(text: string, name: string, problems: string[]): T | undefined;
  check?(value: T, name: string, problems: string[]): void;
  /** Applied to every value before checks (for example a path made absolute). */
  normalize?(value: T): T;
  /** The value as an operator would write it: docs and the start-up log. */
  show(value: T): string;
}

export function checkInteger(name: string, value: number, min: number, max: number, problems: string[]): void {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    problems.push(`${name} must be an integer from ${min} to ${max} (got ${value}).`);
}

/** A whole number of something (ms, bytes, connections), digits only. */
export function integer(min: number, max: number): Kind<number> {
  return {
    parse(text, name, problems) {
      if (/^\d+$/.test(text)) return Number(text);
      problems.push(`${name} must be a whole number (got "${text}").`);
      return undefined;
    },
    check: (value, name, problems) => checkInteger(name, value, min, max, problems),
    show: String,
  };
}

/** "5d", "12h", "30m", "1500ms" (a bare number is ms); the value is milliseconds. */
export function duration(min: number, max: number): Kind<number> {
  return {
    parse(text, name, problems) {
      const ms = parseDuration(text);
      if (ms === undefined) problems.push(`${name} must be a duration like "5d", "12h", "30m" or "1500ms" (got "${text}").`);
      return ms;
    },
    check: (value, name, problems) => checkInteger(name, value, min, max, problems),
    show: formatDuration,
  };
}

export const boolean: Kind<boolean> = {
  parse(text, name, problems) {
    const lower = text.toLowerCase();
    if (["1", "true", "yes", "on"].includes(lower)) return true;
    if (["0", "false", "no", "off"].includes(lower)) return false;
    problems.push(`${name} must be true or false (got "${lower}").`);
    return undefined;
  },
  show: String,
};

/** Free text; `problem` returns the message for a value that is not acceptable. */
export function text(problem?: (value: string, name: string) => string | undefined): Kind<string> {
  return {
    parse: (value) => value,
    check(value, name, problems) {
      const message = problem?.(value, name);
      if (message !== undefined) problems.push(message);
    },
    show: (value) => value,
  };
}

/** A file path, made absolute against the working directory at start-up. */
export const path: Kind<string> = { parse: (value) => value, normalize: (value) => resolve(value), show: (value) => value };

/** One of a fixed list of words. */
export function oneOf<V extends string>(values: readonly V[]): Kind<V> {
  return {
    parse: (value) => value as V,
    check(value, name, problems) {
      if (!values.includes(value)) problems.push(`${name} must be one of ${values.join(", ")} (got "${value}").`);
    },
    show: (value) => value,
  };
}

export const MAX_RETRIES = 50;

/** Comma-separated delays before each retry; "none" (or empty) for no retries. */
export function schedule(example: string): Kind<readonly number[]> {
  return {
    parse(value, name, problems) {
      if (value === "none") return [];
      const delays: number[] = [];
      for (const part of value.split(",")) {
        const ms = parseDuration(part);
        if (ms !== undefined) delays.push(ms);
        else {
          problems.push(
            `${name}: "${part.trim()}" is not a duration; use a comma-separated list like "${example}" (units ms, s, m, h, d), or "none" for no retries.`,
          );
        }
      }
      return delays;
    },
    check(value, name, problems) {
      if (value.length > MAX_RETRIES) problems.push(`${name} has ${value.length} entries; at most ${MAX_RETRIES} retries are supported.`);
      for (const delay of value) checkInteger(`each ${name} entry`, delay, 0, 30 * 86_400_000, problems);
    },
    show: (value) => (value.length === 0 ? "none" : value.map(formatDuration).join(",")),
  };
}

/** CIDRs separated by commas; "none" = none. */
export const cidrList: Kind<readonly string[]> = {
  parse(value, name, problems) {
    try {
      return parseAllowList(value);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      return undefined;
    }
  },
  show: (value) => (value.length === 0 ? "none" : value.join(",")),
};

/** base64 of exactly `bytes` bytes; text that is not base64 reads as 0 bytes, so the check names the length. */
export function base64Key(bytes: number): Kind<Buffer> {
  return {
    parse: (value) => (/^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, "base64") : Buffer.alloc(0)),
    check(value, name, problems) {
      if (value.length !== bytes) {
        problems.push(
          `${name} must be base64 of exactly ${bytes} bytes (got ${value.length} bytes); create one with: openssl rand -base64 ${bytes}`,
        );
      }
    },
    show: () => "***",
  };
}
