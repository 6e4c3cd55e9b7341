import { describe, expect, it } from "vitest";
import type { Benchmark } from "../src/benchmarks/types.js";
import { BENCHMARKS, selectBenchmarks } from "../src/registry.js";

const bench = (id: string, group: string): Benchmark => ({ id, group, summary: id, run: async () => [] });
const ALL = [bench("receiver-path", "receiver"), bench("receiver-middleware", "receiver"), bench("generator", "generator")];

describe("--only selection", () => {
  it.each([
    { name: "nothing selected runs everything", only: undefined, ids: ["receiver-path", "receiver-middleware", "generator"] },
    { name: "a group", only: ["receiver"], ids: ["receiver-path", "receiver-middleware"] },
    { name: "an id, in registry order", only: ["generator", "receiver-path"], ids: ["receiver-path", "generator"] },
  ])("$name", ({ only, ids }) => {
    expect(selectBenchmarks(ALL, only).map((b) => b.id)).toEqual(ids);
  });

  it("names unknown benchmarks and lists the known ones", () => {
    expect(() => selectBenchmarks(ALL, ["reciever"])).toThrow(
      'Unknown benchmark "reciever". Known ids: receiver-path, receiver-middleware, generator; groups: receiver, generator.',
    );
  });

  it("registers every benchmark under a unique id", () => {
    const ids = BENCHMARKS.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("runs each backlog benchmark after the end-to-end one whose rate it compares with", () => {
    const ids = BENCHMARKS.map((b) => b.id);
    for (const store of ["sqlite", "postgres"]) {
      expect(ids).toContain(`backlog-${store}`);
      expect(ids.indexOf(`backlog-${store}`)).toBeGreaterThan(ids.indexOf(`e2e-${store}`));
    }
  });
});
