/**
 * Per-file checks: dialect, meta-schema, `$id`, title, the `x-hookline` event annotation, file
 * naming, descriptions, examples present, and keywords the generator cannot type.
 */

import type { Ajv2020 } from "ajv/dist/2020.js";
import type { CheckedDocument } from "../schema/document.js";
import type { CatalogIssue } from "../schema/issues.js";
import { pointerJoin } from "../schema/json-pointer.js";
import type { LintRuleId } from "../schema/lint-rules.js";
import {
  DOMAIN_PATTERN,
  EVENT_TYPE_PATTERN,
  HOOKLINE_ANNOTATION,
  SCHEMA_DIALECT,
  TYPE_NAME_PATTERN,
  UNSUPPORTED_KEYWORDS,
  eventFileName,
} from "../schema/rules.js";
import { isObject, walkSchema } from "../schema/walk.js";
import type { CatalogFile } from "./read-catalog.js";

/**
 * Checks one file. Returns the document unless it has a problem that keeps it out of ajv and the
 * model (not an object, wrong dialect or meta-schema errors, a bad `$id` or `title`); its other
 * problems are reported and it is still compiled and its examples checked. `baseUri`: the
 * catalog's base URI as the other files' `$id`s show it, for the `$id` fix.
 */
export function checkDocument(
  ajv: Ajv2020,
  input: CatalogFile,
  baseUri: string | undefined,
  issues: CatalogIssue[],
): CheckedDocument | undefined {
  const { file, json } = input;
  const issue: Report = (pointer, message, fix, rule) =>
    issues.push({ file, pointer, message, fix, ...(rule === undefined ? {} : { rule }) });
  if (!isObject(json)) {
    issue("", "is not a JSON Schema object", "the file must contain one JSON object (a JSON Schema 2020-12 document)");
    return undefined;
  }
  let fatal = false;

  if (json.$schema !== SCHEMA_DIALECT) {
    issue("/$schema", `must be "${SCHEMA_DIALECT}"`, `add "$schema": "${SCHEMA_DIALECT}" at the top of the file`);
    fatal = true;
  } else if (!ajv.validateSchema(json)) {
    fatal = true;
    // Only a 2020-12 document is checked against the 2020-12 meta-schema; ajv throws for dialects it was not given.
    for (const error of ajv.errors ?? []) {
      issue(
        error.instancePath,
        `does not match the JSON Schema 2020-12 meta-schema: ${error.message ?? error.keyword}`,
        "correct the keyword's value; see https://json-schema.org/draft/2020-12/json-schema-validation",
      );
    }
  }

  const id = json.$id;
  if (typeof id !== "string" || !id.endsWith(`/${file}`) || !URL.canParse(id)) {
    issue(
      "/$id",
      `must be an absolute URI ending in "/${file}" (got ${JSON.stringify(id)})`,
      `set "$id" to "${baseUri ?? "<catalog base URI>/"}${file}" so relative $refs resolve the same way as the files on disk`,
    );
    fatal = true;
  }
  const title = json.title;
  if (typeof title !== "string" || !TYPE_NAME_PATTERN.test(title)) {
    issue(
      "/title",
      `must be a PascalCase name (got ${JSON.stringify(title)}); it becomes the TypeScript type name`,
      'set "title" to a name like "OrderCreated"',
    );
    fatal = true;
  }
  checkDescriptions(json, issue);
  checkObjectConventions(json, issue);
  checkSupportedKeywords(json, issue);

  let event: CheckedDocument["event"];
  if (file.startsWith("events/")) {
    event = checkEventAnnotation(file, json, issue);
    if (!Array.isArray(json.examples) || json.examples.length === 0) {
      issue(
        "/examples",
        "must list at least one example payload",
        'add "examples": [ { ...a realistic payload... } ]; examples are validated and shipped in the SDK metadata',
        "event-examples",
      );
    }
  } else if (json[HOOKLINE_ANNOTATION] !== undefined) {
    issue(
      `/${HOOKLINE_ANNOTATION}`,
      "is only allowed in event files under events/",
      `move the file to events/<domain>/ or remove "${HOOKLINE_ANNOTATION}"`,
    );
  }
  if (fatal || typeof id !== "string" || typeof title !== "string") return undefined;
  return { file, id, title, schema: json, event };
}

function checkEventAnnotation(file: string, json: Record<string, unknown>, issue: Report): CheckedDocument["event"] {
  const parts = file.split("/");
  const domain = parts[1] ?? "";
  if (parts.length !== 3 || !DOMAIN_PATTERN.test(domain)) {
    issue(
      "",
      "event files must sit at events/<domain>/<type>.v<version>.json with a lower-case domain folder",
      "move the file into a domain folder such as events/orders/",
    );
  }
  const annotation = json[HOOKLINE_ANNOTATION];
  const pointer = `/${HOOKLINE_ANNOTATION}`;
  if (!isObject(annotation)) {
    issue(
      pointer,
      "is missing: every event schema declares its event type and version",
      `add "${HOOKLINE_ANNOTATION}": ${annotationFromFileName(parts[parts.length - 1] ?? "")}`,
    );
    return undefined;
  }
  const { type, version } = annotation;
  let ok = true;
  for (const key of Object.keys(annotation)) {
    if (key !== "type" && key !== "version") {
      issue(
        pointerJoin(pointer, key),
        `is not a known ${HOOKLINE_ANNOTATION} field`,
        'keep only "type" and "version" (deprecation is the standard root keyword "deprecated": true)',
      );
      ok = false;
    }
  }
  if (typeof type !== "string" || !EVENT_TYPE_PATTERN.test(type)) {
    issue(
      pointerJoin(pointer, "type"),
      `must be dot-separated segments of [a-zA-Z0-9_] (got ${JSON.stringify(type)})`,
      'use a Standard Webhooks event type such as "order.created"',
    );
    ok = false;
  }
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    issue(
      pointerJoin(pointer, "version"),
      `must be an integer >= 1 (got ${JSON.stringify(version)})`,
      'start at "version": 1 and add a new file for each breaking change',
    );
    ok = false;
  }
  if (!ok || typeof type !== "string" || typeof version !== "number") return undefined;
  const expected = eventFileName(type, version);
  if (parts[parts.length - 1] !== expected) {
    issue(
      "",
      `file name does not match ${HOOKLINE_ANNOTATION} (expected ${expected})`,
      `rename the file to ${expected} or correct ${HOOKLINE_ANNOTATION}`,
    );
    return undefined;
  }
  return { type, version, domain };
}

/** The annotation the file name asks for: `refund.issued.v1.json` → `{ "type": "refund.issued", "version": 1 }`. */
function annotationFromFileName(name: string): string {
  const match = /^(.+)\.v(\d+)\.json$/.exec(name);
  const type = match?.[1] !== undefined && EVENT_TYPE_PATTERN.test(match[1]) ? match[1] : "order.created";
  const version = match?.[2] === undefined ? 1 : Number(match[2]);
  return `{ "type": ${JSON.stringify(type)}, "version": ${version} }`;
}

/**
 * The base URI the catalog's files use: the most common `$id` minus the file's own path, or
 * undefined when no file has such an `$id`.
 */
export function catalogBaseUri(files: readonly CatalogFile[]): string | undefined {
  const counts = new Map<string, number>();
  for (const { file, json } of files) {
    const id = isObject(json) ? json.$id : undefined;
    if (typeof id !== "string" || !id.endsWith(`/${file}`) || !URL.canParse(id)) continue;
    const base = id.slice(0, id.length - file.length);
    counts.set(base, (counts.get(base) ?? 0) + 1);
  }
  let best: [string, number] | undefined;
  for (const entry of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (best === undefined || entry[1] > best[1]) best = entry;
  return best?.[0];
}

/** Every property documents itself: descriptions become the JSDoc users read in their editor. */
function checkDescriptions(json: Record<string, unknown>, issue: Report): void {
  if (typeof json.description !== "string" || json.description.trim() === "") {
    issue("/description", "is missing", "describe when this is sent (events) or what it represents (definitions)", "schema-description");
  }
  walkSchema(json, "", (schema, pointer) => {
    const properties = schema.properties;
    if (!isObject(properties)) return;
    for (const [name, property] of Object.entries(properties)) {
      if (isObject(property) && (typeof property.description !== "string" || property.description.trim() === "")) {
        issue(
          pointerJoin(pointer, "properties", name),
          "has no description",
          'add "description": "..." (next to a "$ref" is fine)',
          "property-description",
        );
      }
    }
  });
}

const CAMEL_CASE = /^[a-z][a-zA-Z0-9]*$/;

/** The catalog README's object conventions: closed or typed maps, `required` listed, camelCase names. */
function checkObjectConventions(json: Record<string, unknown>, issue: Report): void {
  walkSchema(json, "", (schema, pointer) => {
    const properties = schema.properties;
    if (!isObject(properties)) return;
    // An allOf member is one part of an object: closing it would refuse the other parts' properties.
    const partOfAllOf = /\/allOf\/\d+$/.test(pointer);
    if (!("required" in schema) && !partOfAllOf)
      issue(
        pointer === "" ? "/properties" : pointer,
        'object lists no "required"',
        'add "required": [...] naming its properties (a value that can be absent is nullable, not optional)',
        "object-required",
      );
    if (!("additionalProperties" in schema) && !partOfAllOf)
      issue(
        pointer === "" ? "/properties" : pointer,
        'object does not state "additionalProperties"',
        'add "additionalProperties": false for a fixed shape, or a schema such as { "type": "string" } for a free-form map',
        "object-additional-properties",
      );
    for (const name of Object.keys(properties))
      if (!CAMEL_CASE.test(name))
        issue(
          pointerJoin(pointer, "properties", name),
          `property name "${name}" is not camelCase`,
          camelCaseFix(name),
          "property-camel-case",
        );
  });
}

function camelCaseFix(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  const suggestion = joined.charAt(0).toLowerCase() + joined.slice(1);
  return CAMEL_CASE.test(suggestion)
    ? `rename it to camelCase, e.g. "${suggestion}"`
    : "rename it to camelCase: a lower-case letter, then letters and digits";
}

type Report = (pointer: string, message: string, fix: string, rule?: LintRuleId) => void;

const UNSUPPORTED = Object.entries(UNSUPPORTED_KEYWORDS);

function checkSupportedKeywords(json: Record<string, unknown>, issue: Report): void {
  walkSchema(json, "", (schema, pointer) => {
    for (const [keyword, fix] of UNSUPPORTED) {
      if (keyword in schema) {
        issue(pointerJoin(pointer, keyword), `uses "${keyword}", which a TypeScript type cannot express faithfully`, fix);
      }
    }
  });
}
