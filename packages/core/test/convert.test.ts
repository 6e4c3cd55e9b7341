/**
 * convertPayload over a hand-written catalog of three versions of one event type, validators
 * compiled by ajv: chains of adjacent steps both ways, and every way a conversion fails.
 */

import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { CompiledValidator } from "../src/catalog.js";
import { type CatalogConverters, ConversionError, type ConvertibleCatalog, convertPayload } from "../src/index.js";

interface UserV1 {
  name: string;
}
interface UserV2 {
  firstName: string;
  lastName: string;
}
interface UserV3 {
  firstName: string;
  lastName: string;
  tags: string[];
}

const ajv = new Ajv2020({ allErrors: true });
const closed = (required: string[], properties: Record<string, object>) =>
  ajv.compile({ type: "object", additionalProperties: false, required, properties }) as CompiledValidator;
const validatorV1 = closed(["name"], { name: { type: "string", minLength: 1 } });
const validatorV2 = closed(["firstName", "lastName"], { firstName: { type: "string" }, lastName: { type: "string" } });
const validatorV3 = closed(["firstName", "lastName", "tags"], {
  firstName: { type: "string" },
  lastName: { type: "string" },
  tags: { type: "array", items: { type: "string" } },
});

const converters: CatalogConverters = {
  "user.updated": {
    "2": {
      down: (p: UserV2): UserV1 => ({ name: `${p.firstName} ${p.lastName}`.trim() }),
      up: (p: UserV1): UserV2 => {
        const [firstName = "", ...rest] = p.name.split(" ");
        return { firstName, lastName: rest.join(" ") };
      },
    },
    "3": {
      down: (p: UserV3): UserV2 => ({ firstName: p.firstName, lastName: p.lastName }),
      up: (p: UserV2): UserV3 => ({ ...p, tags: [] }),
    },
  },
};

function catalogWith(steps: CatalogConverters): ConvertibleCatalog {
  return {
    eventTypes: { "user.updated": { version: 3 } },
    validators: { "user.updated": validatorV3 },
    versions: {
      "user.updated": { "1": { validator: validatorV1 }, "2": { validator: validatorV2 }, "3": { validator: validatorV3 } },
    },
    converters: steps,
  };
}

function conversionError(run: () => unknown): ConversionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConversionError);
    return error as ConversionError;
  }
  throw new Error("expected a ConversionError, but the conversion succeeded");
}

describe("convertPayload", () => {
  const catalog = catalogWith(converters);

  it("chains down over three versions (v3 → v2 → v1)", () => {
    expect(convertPayload(catalog, "user.updated", 3, 1, { firstName: "Ada", lastName: "Lovelace", tags: ["math"] })).toEqual({
      name: "Ada Lovelace",
    });
  });

  it("chains up over three versions (v1 → v2 → v3)", () => {
    expect(convertPayload(catalog, "user.updated", 1, 3, { name: "Ada King Lovelace" })).toEqual({
      firstName: "Ada",
      lastName: "King Lovelace",
      tags: [],
    });
  });

  it("returns a valid payload unchanged when from equals to", () => {
    const payload = { name: "Ada" };
    expect(convertPayload(catalog, "user.updated", 1, 1, payload)).toBe(payload);
  });

  it("validates the target of a same-version call too", () => {
    const error = conversionError(() => convertPayload(catalog, "user.updated", 1, 1, { name: "" }));
    expect(error.message).toContain("/name");
  });

  it("uses validators[type] for the newest version when the catalog carries no versions", () => {
    const newestOnly: ConvertibleCatalog = { eventTypes: catalog.eventTypes, validators: catalog.validators, converters };
    expect(convertPayload(newestOnly, "user.updated", 2, 3, { firstName: "A", lastName: "B" })).toEqual({
      firstName: "A",
      lastName: "B",
      tags: [],
    });
    const error = conversionError(() => convertPayload(newestOnly, "user.updated", 3, 1, {}));
    expect(error.message).toContain("no validator for user.updated v1");
  });

  it("a throwing converter is a ConversionError naming the type, versions, the step's file and the cause", () => {
    const boom = new Error("lastName is required to split");
    const throwing = catalogWith({
      "user.updated": {
        ...converters["user.updated"],
        "2": {
          down: () => {
            throw boom;
          },
        },
      },
    });
    const error = conversionError(() => convertPayload(throwing, "user.updated", 3, 1, { firstName: "A", lastName: "B", tags: [] }));
    expect(error).toMatchObject({ eventType: "user.updated", from: 3, to: 1, file: "user.updated.v2.convert.ts", cause: boom });
    expect(error.message).toBe(
      "Cannot convert user.updated v3 to v1: user.updated.v2.convert.ts down() (v2 → v1) threw: lastName is required to split",
    );
  });

  it("a result the target version rejects is a ConversionError listing the violations", () => {
    const wrong = catalogWith({
      "user.updated": { ...converters["user.updated"], "2": { down: (p: UserV2) => ({ name: p.firstName, extra: true }) } },
    });
    const error = conversionError(() => convertPayload(wrong, "user.updated", 3, 1, { firstName: "A", lastName: "B", tags: [] }));
    expect(error.file).toBe("user.updated.v2.convert.ts");
    expect(error.message).toContain("the result is not a valid user.updated v1 payload");
    expect(error.message).toContain("extra");
  });

  it("a missing up() is a ConversionError naming the file that lacks it", () => {
    const downOnly = catalogWith({ "user.updated": { ...converters["user.updated"], "3": { down: (p: UserV3) => p } } });
    const error = conversionError(() => convertPayload(downOnly, "user.updated", 1, 3, { name: "A B" }));
    expect(error.file).toBe("user.updated.v3.convert.ts");
    expect(error.message).toContain("user.updated.v3.convert.ts does not provide up()");
  });
});
