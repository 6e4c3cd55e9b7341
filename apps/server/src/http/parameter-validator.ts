/**
 * Validators for fastify: request bodies strict as configured (no coercion: JSON has real numbers),
 * query strings and path parameters with their integers (`?limit`, `{version}`) coerced from text,
 * so the route schemas and /openapi.json say `integer`. Only plain decimal text is an integer here:
 * Ajv alone would also coerce `0x10`, `1e2` or ` 5`, which the API refused before and still does
 * (400 `invalid_request`, like any other schema violation).
 */
import AjvCompiler from "@fastify/ajv-compiler";

const DECIMAL = /^-?[0-9]{1,15}$/;
const factory = AjvCompiler();

type Validate = ((data: unknown) => boolean) & { errors?: unknown };

export const coercingParameters: AjvCompiler.BuildCompilerFromPool = (externalSchemas, options) => {
  const customOptions = { ...(options?.customOptions as Record<string, unknown> | undefined) };
  const strict = factory(externalSchemas, { ...options, customOptions } as never);
  const coercing = factory(externalSchemas, { ...options, customOptions: { ...customOptions, coerceTypes: true } } as never);
  return (route) => {
    if (route.httpPart !== "querystring" && route.httpPart !== "params") return strict(route);
    const validate = coercing(route) as unknown as Validate;
    const integers = integerProperties(route.schema);
    if (integers.length === 0) return validate as never;
    const checked: Validate = (data) => {
      const values = (data ?? {}) as Record<string, unknown>;
      const wrong = integers.filter((name) => typeof values[name] === "string" && !DECIMAL.test(values[name] as string));
      if (wrong.length > 0) {
        checked.errors = wrong.map((name) => ({
          instancePath: `/${name}`,
          schemaPath: `#/properties/${name}/type`,
          keyword: "type",
          params: { type: "integer" },
          message: "must be integer",
        }));
        return false;
      }
      const ok = validate(data);
      checked.errors = validate.errors;
      return ok;
    };
    return checked as never;
  };
};

function integerProperties(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties ?? {};
  return Object.entries(properties)
    .filter(([, property]) => property.type === "integer")
    .map(([name]) => name);
}
