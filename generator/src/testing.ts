/**
 * `@hookline/generator/testing`: the logic of the property tests `hookline generate` emits for each
 * converter module (output option `tests`). Generic, so the emitted tests stay a few lines of data:
 * payloads generated from the source version's schema by json-schema-faker (a fixed seed per run,
 * so every run checks the same payloads), plus the schema's examples, must convert to payloads the
 * target version's schema accepts. json-schema-faker is an optional peer dependency, needed only here.
 */

import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export interface ConversionCheck {
  /** Event type, e.g. `order.shipped`. */
  readonly type: string;
  /** The converter module, catalog-relative, for the failure message. */
  readonly file: string;
  /** `down` or `up`. */
  readonly direction: "down" | "up";
  readonly from: { readonly version: number; readonly schema: object };
  readonly to: { readonly version: number; readonly schema: object };
  readonly convert: (payload: never) => unknown;
  /** Generated payloads to convert (default 200). */
  readonly runs?: number;
  /** Seed of the first payload; payload i uses `seed + i` (default 1). */
  readonly seed?: number;
}

export interface ConversionFailure {
  /** The seed that generated the input, or `example <i>` for the schema's examples. */
  readonly input: string;
  readonly payload: unknown;
  readonly problem: string;
}

/**
 * Deep enough for nested catalog shapes (json-schema-faker fills anything below `maxDepth` with empty
 * values), bounded on recursive definitions, small default arrays.
 */
const FAKER_OPTIONS = (seed: number) => ({ seed, maxDepth: 32, refDepthMax: 3, maxDefaultItems: 4 });

/** Every failing conversion (empty: the converter passed). */
export async function findConversionFailures(check: ConversionCheck): Promise<ConversionFailure[]> {
  const { generate } = await import("json-schema-faker");
  const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: "x-hookline" });
  const isSource = ajv.compile(withoutId(check.from.schema));
  const isTarget = ajv.compile(withoutId(check.to.schema));
  const examples = (check.from.schema as { examples?: unknown }).examples;
  const inputs: Array<{ input: string; payload: unknown }> = Array.isArray(examples)
    ? examples.map((payload: unknown, i) => ({ input: `example ${i}`, payload }))
    : [];
  const runs = check.runs ?? 200;
  const seed = check.seed ?? 1;
  let invalid = 0;
  for (let i = 0; i < runs; i++) {
    const payload = await generate(withoutExamples(check.from.schema) as never, FAKER_OPTIONS(seed + i));
    // json-schema-faker does not honour every keyword combination: what the source schema rejects is no valid input.
    if (isSource(payload)) inputs.push({ input: `seed ${seed + i}`, payload });
    else invalid++;
  }
  const failures: ConversionFailure[] = [];
  if (invalid > runs / 2)
    failures.push({
      input: `seeds ${seed}..${seed + runs - 1}`,
      payload: undefined,
      problem: `json-schema-faker generated only ${runs - invalid} valid v${check.from.version} payloads of ${runs}; the property is not tested`,
    });
  for (const { input, payload } of inputs) {
    let converted: unknown;
    try {
      converted = check.convert(structuredClone(payload) as never);
    } catch (error) {
      failures.push({ input, payload, problem: `threw: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    if (!isTarget(converted)) {
      const errors = (isTarget.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
      failures.push({ input, payload, problem: `returned an invalid v${check.to.version} payload: ${errors.join("; ")}` });
    }
  }
  return failures;
}

/** Throws an error describing the first failures; what an emitted property test calls. */
export async function checkConversion(check: ConversionCheck): Promise<void> {
  const failures = await findConversionFailures(check);
  if (failures.length === 0) return;
  const shown = failures
    .slice(0, 3)
    .map((f) => `- ${f.input}: ${f.problem}${f.payload === undefined ? "" : `\n  input: ${JSON.stringify(f.payload)}`}`);
  throw new Error(
    [
      `${check.file} ${check.direction}() (${check.type} v${check.from.version} → v${check.to.version}) fails for ${failures.length} payload(s):`,
      ...shown,
      `Fix ${check.direction}() in ${check.file} so that every valid v${check.from.version} payload becomes a valid v${check.to.version} payload, then run npm run generate.`,
    ].join("\n"),
  );
}

/** Two versions' bundled schemas may share `$defs` ids; each check compiles its schemas without `$id`. */
function withoutId(schema: object): object {
  const { $id: _id, ...rest } = schema as Record<string, unknown>;
  return rest;
}

/** json-schema-faker may return an example instead of generating; the examples are checked on their own. */
function withoutExamples(schema: object): object {
  const { examples: _examples, ...rest } = schema as Record<string, unknown>;
  return rest;
}
