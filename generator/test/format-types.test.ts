/**
 * The direct declaration printer (src/emit/format-types.ts) against the path it replaces: the
 * ts-morph structure, printed and formatted by prettier. Every declaration it prints must come out
 * byte for byte as prettier would have it; the ones it declines go that way in generated files.
 *
 * Seeded random declarations cover combinations; lengths are varied so that lines land on both
 * sides of the print width in each of prettier's layouts.
 */

import { describe, expect, it } from "vitest";
import { declarationStructure } from "../src/emit/emit-types.js";
import { formatInterface, formatTextUnionAlias, formatTypeAlias } from "../src/emit/format-types.js";
import { jsDocs } from "../src/emit/jsdoc.js";
import { intersectionOf, unionOf } from "../src/model/schema-to-type.js";
import type { DocInfo, ObjectTypeNode, TypeNode } from "../src/model/type-ir.js";
import type { RenderPiece } from "../src/emit/render-piece.js";
import { render } from "../src/write/render.js";
import { StructureKind } from "ts-morph";

/** mulberry32: small, seeded, good enough to pick test cases. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values the direct printer handles, and awkward ones it must decline or get right (mixed in now and then). */
const STRINGS = {
  plain: ["a", "order.created", "it's", "x".repeat(38), "state_0", "", "1", "<b>&</b>"],
  awkward: ['say "hi"', "back\\slash", "café", "tab\there", "a\u2028b"],
};
const NUMBERS = { plain: [0, 1, -3, 1.5, 0.25, 100, 123456789, 2 ** 53], awkward: [1e21, -1e-7] };
const KEYS = {
  plain: ["id", "orderId", "content-type", "a b", "1", "$ref", "k".repeat(57), "class", "_x"],
  awkward: ["café", "", 'with"quote', "back\\slash"],
};
const NAMES = {
  plain: ["Money", "PartyRef", "A", "AVeryLongTypeNameThatGoesOnAndOnToPushLinesPastTheWidth", "Line2"],
  awkward: ["Not-An-Identifier"],
};
const DOCS: { plain: DocInfo[]; awkward: DocInfo[] } = {
  plain: [
    {},
    {},
    { description: "One line." },
    { description: "Two\nlines." },
    { description: "Blank\n\nline." },
    { description: "Whitespace-only line:\n   \nafter." },
    { description: " Indented\n    more" },
    { format: "email" },
    { description: "Described.", format: "date-time", deprecated: true },
    { deprecated: true },
    { description: "Ends the comment */ early." },
    { source: "defs/money.json" },
    { description: `A long description. ${"word ".repeat(30)}end.` },
    { description: "\tTab." },
  ],
  awkward: [
    { description: "Trailing spaces  \nhere." },
    { description: "Trailing space \nhere." },
    { description: "Line\u2028separator." },
    { format: "two\nlines" },
  ],
};

function makeRandomType(next: () => number) {
  const one = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const pick = <T>(pool: { readonly plain: readonly T[]; readonly awkward: readonly T[] }): T =>
    one(next() < 0.03 ? pool.awkward : pool.plain);
  const count = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const literal = (): TypeNode => {
    const roll = next();
    if (roll < 0.6) return { kind: "literal", value: pick(STRINGS) + (next() < 0.5 ? "_".repeat(count(0, 30)) : "") };
    if (roll < 0.85) return { kind: "literal", value: pick(NUMBERS) };
    return { kind: "literal", value: roll < 0.95 ? next() < 0.5 : null };
  };
  const leaf = (): TypeNode => {
    const roll = next();
    if (roll < 0.35) return { kind: "primitive", name: one(["string", "number", "boolean", "null", "undefined"] as const) };
    if (roll < 0.65) return literal();
    if (roll < 0.95) return { kind: "ref", typeName: pick(NAMES) };
    return { kind: roll < 0.98 ? "unknown" : "never" };
  };
  const object = (depth: number): ObjectTypeNode => {
    const properties = Array.from({ length: count(0, 4) }, (_, i) => ({
      name: next() < 0.6 ? `${pick(KEYS)}${i}` : pick(KEYS),
      required: next() < 0.7,
      type: type(depth + 1),
      docs: pick(DOCS),
    }));
    const roll = next();
    const indexType = roll < 0.6 ? undefined : roll < 0.7 ? ({ kind: "never" } as const) : type(depth + 1);
    return { kind: "object", properties, indexType };
  };
  const type = (depth: number): TypeNode => {
    const roll = next();
    if (depth >= 3 || roll < 0.3) return leaf();
    if (roll < 0.5) return unionOf(Array.from({ length: count(2, 9) }, () => (next() < 0.8 ? literal() : leaf())));
    if (roll < 0.58)
      return unionOf([next() < 0.5 ? object(depth) : { kind: "ref", typeName: pick(NAMES) }, { kind: "primitive", name: "null" }]);
    if (roll < 0.7) return { kind: "array", items: type(depth + 1) };
    if (roll < 0.85) return object(depth);
    if (roll < 0.9) return unionOf([type(depth + 1), type(depth + 1), leaf()]);
    if (roll < 0.95) return { kind: "tuple", items: [leaf(), leaf()], rest: next() < 0.5 ? leaf() : undefined };
    return intersectionOf([type(depth + 1), object(depth)]);
  };
  return { type, object, pick };
}

interface Case {
  readonly name: string;
  readonly type: TypeNode;
  readonly docs: DocInfo;
}

/** What the generator printed before the direct printer: each structure through ts-morph, then prettier. */
async function viaPrettier(pieces: readonly RenderPiece[]): Promise<string> {
  return (await render("types.ts", pieces, [])).text;
}

function direct(c: Case): string | undefined {
  return c.type.kind === "object" ? formatInterface(c.name, c.type, c.docs) : formatTypeAlias(c.name, c.type, c.docs);
}

/** Checks every case the direct printer accepts against prettier (in one prettier run); returns how many it accepted. */
async function expectSameAsPrettier(cases: readonly Case[]): Promise<number> {
  const accepted = cases.flatMap((c) => {
    const text = direct(c);
    return text === undefined ? [] : [{ c, text }];
  });
  const expected = await viaPrettier(accepted.map(({ c }) => declarationStructure(c.name, c.type, c.docs)));
  expect(`${accepted.map((a) => a.text).join("\n\n")}\n`).toBe(expected);
  return accepted.length;
}

describe("the direct declaration printer", () => {
  it("prints random declarations exactly as prettier formats their structures", async () => {
    let accepted = 0;
    let total = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      const { type, object, pick } = makeRandomType(next);
      const cases = Array.from(
        { length: 25 },
        (_, i): Case => ({
          // Name lengths shift every line of an alias across the print width.
          name: `T${"x".repeat(Math.floor(next() * 60))}${i}`,
          type: next() < 0.5 ? object(0) : type(0),
          docs: pick(DOCS),
        }),
      );
      total += cases.length;
      accepted += await expectSameAsPrettier(cases);
    }
    // The comparison means something only if most declarations take the direct path.
    expect(accepted / total).toBeGreaterThan(0.4);
  });

  it("lays out unions on the line, alone on the next line, or one member per line, at every length around the print width", async () => {
    const cases: Case[] = [];
    for (let members = 2; members <= 6; members++) {
      for (let keyLength = 1; keyLength <= 70; keyLength += 3) {
        const union = unionOf(Array.from({ length: members }, (_, i) => ({ kind: "literal", value: `v${i}_${"s".repeat(8)}` }) as const));
        const property = (name: string, t: TypeNode) => ({ name, required: true, type: t, docs: {} });
        cases.push({
          name: `U${members}k${keyLength}`,
          type: {
            kind: "object",
            properties: [
              property("k".repeat(keyLength), union),
              property(`a${"k".repeat(keyLength)}`, { kind: "array", items: union }),
              property(
                `n${"k".repeat(keyLength)}`,
                unionOf([
                  { kind: "ref", typeName: "Money" },
                  { kind: "primitive", name: "null" },
                ]),
              ),
            ],
            indexType: undefined,
          },
          docs: {},
        });
        cases.push({ name: `A${members}k${"x".repeat(keyLength)}`, type: union, docs: { description: "Alias." } });
      }
    }
    // Declined: arrays of unions too long for their line (prettier breaks inside the parentheses).
    expect(await expectSameAsPrettier(cases)).toBeGreaterThan(cases.length * 0.6);
  });

  it("declines what it does not reproduce, leaving it to prettier", () => {
    const object: ObjectTypeNode = {
      kind: "object",
      properties: [{ name: "a", required: true, type: { kind: "primitive", name: "string" }, docs: {} }],
      indexType: undefined,
    };
    const declined: TypeNode[] = [
      intersectionOf([{ kind: "ref", typeName: "Money" }, object]),
      { kind: "tuple", items: [{ kind: "primitive", name: "string" }], rest: undefined },
      unionOf([object, { ...object, properties: [], indexType: { kind: "never" } }]),
      { kind: "literal", value: "needs \\ escaping" },
    ];
    for (const type of declined) expect(formatTypeAlias("X", type, {})).toBeUndefined();
  });

  it("prints text unions (EventType, WebhookEvent) as prettier does", async () => {
    const envelope = (i: number) => `WebhookEnvelope<"order${i}.created", Order${i}Created>`;
    const lists = [[], ["keyof EventMap"], [envelope(1)], [envelope(1), envelope(2)], Array.from({ length: 40 }, (_, i) => envelope(i))];
    const docs = { description: "Any event." };
    const texts = lists.map((members, i) => formatTextUnionAlias(`E${i}`, members, docs));
    expect(texts.every((t) => t !== undefined)).toBe(true);
    const expected = await viaPrettier(
      lists.map((members, i) => ({
        kind: StructureKind.TypeAlias,
        name: `E${i}`,
        isExported: true,
        type: members.length === 0 ? "never" : members.join(" | "),
        docs: jsDocs(docs),
      })),
    );
    expect(`${texts.join("\n\n")}\n`).toBe(expected);
  });
});
