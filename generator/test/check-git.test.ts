/**
 * `hookline check --against <git ref>`: a real git repository in a temp dir (git init, commit,
 * edit the working tree), the earlier catalog read at the ref, and the one-line errors for a
 * folder outside git, an unknown ref and a catalog that did not exist at the ref.
 */

import { execFileSync } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir, writeCatalog } from "./support/catalog.js";
import { CREATED, baseCatalog, createdV1, hookline } from "./support/check.js";
import { defSchema } from "./support/catalog.js";

afterAll(removeTempDirs);

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  });
}

async function repository(): Promise<{ repo: string; catalog: string }> {
  const repo = await tempDir("hookline-check-git-");
  git(repo, "init", "--quiet", "--initial-branch=main");
  await writeFile(path.join(repo, "README.md"), "project\n");
  git(repo, "add", "-A");
  git(repo, "commit", "--quiet", "-m", "start");
  const catalog = await writeCatalog(baseCatalog(), path.join(repo, "catalog"));
  git(repo, "add", "-A");
  git(repo, "commit", "--quiet", "-m", "catalog");
  git(repo, "tag", "v1");
  return { repo, catalog };
}

describe("hookline check --against a git ref", () => {
  it("compares the working tree's catalog with the catalog at the ref", async () => {
    const { catalog } = await repository();
    expect(await hookline("check", "--catalog", catalog, "--against", "HEAD")).toMatchObject({ code: 0, err: "" });

    const schema = createdV1();
    await writeCatalog(
      {
        [CREATED]: {
          ...schema,
          required: [...(schema.required as string[]), "note"],
          properties: { ...(schema.properties as object), note: { description: "Note.", type: "string" } },
        },
      },
      catalog,
    );
    const { code, out, err } = await hookline("check", "--catalog", catalog, "--against", "v1");
    expect({ code, err }).toEqual({ code: 1, err: "" });
    expect(out).toMatch(/^catalog .+ against v1 \([0-9a-f]{12}\) \(mode forward\)\n/);
    expect(out).toContain(
      `BREAKING  ${CREATED}#/properties/note  property-added-required-to-closed-object  backward:breaking forward:breaking full:breaking`,
    );
    expect(out).toContain("error: order.created v1 is released (it is in v1 (");
  });

  it("reads a catalog whose folder and file names hold spaces, non-ASCII letters and glob characters", async () => {
    const repo = await tempDir("hookline-check-git-");
    git(repo, "init", "--quiet", "--initial-branch=main");
    // A shared definition named with a space and accents, referenced percent-encoded as a URI must be.
    const money = "defs/money été.json";
    const ref = "../../defs/money%20%C3%A9t%C3%A9.json";
    const files = (note: boolean) => {
      const schema = createdV1();
      const properties = { ...(schema.properties as Record<string, object>), total: { description: "Order total.", $ref: ref } };
      return {
        [money]: defSchema(money),
        [CREATED]: { ...schema, properties: note ? { ...properties, note: { description: "Note.", type: "string" } } : properties },
      };
    };
    const catalog = await writeCatalog(files(false), path.join(repo, "my catalög [v1] *"));
    git(repo, "add", "-A");
    git(repo, "commit", "--quiet", "-m", "catalog");
    expect(await hookline("check", "--catalog", catalog, "--against", "main")).toMatchObject({ code: 0, err: "" });

    await writeCatalog(files(true), catalog);
    const { code, out, err } = await hookline("check", "--catalog", catalog, "--against", "main");
    expect({ code, err }).toEqual({ code: 1, err: "" });
    expect(out).toContain(`BREAKING  ${CREATED}#/properties/note  property-added-optional-to-closed-object`);
    expect(out).not.toContain(`definition ${money}`);
  });

  it("reads a catalog that is the repository root", async () => {
    const repo = await tempDir("hookline-check-git-");
    git(repo, "init", "--quiet");
    await writeCatalog(baseCatalog(), repo);
    git(repo, "add", "-A");
    git(repo, "commit", "--quiet", "-m", "catalog at the root");
    expect(await hookline("check", "--catalog", repo, "--against", "HEAD")).toMatchObject({ code: 0 });
    await rm(path.join(repo, "events/orders/order.shipped.v1.json"));
    const { code, out } = await hookline("check", "--catalog", repo, "--against", "HEAD");
    expect(code).toBe(1);
    expect(out).toContain(
      "BREAKING  events/orders/order.shipped.v1.json#  event-type-removed  backward:breaking forward:breaking full:breaking  event type order.shipped removed (v1 was not deprecated)",
    );
  });

  it("says how to fix an unknown ref", async () => {
    const { repo, catalog } = await repository();
    const { code, err } = await hookline("check", "--catalog", catalog, "--against", "no-such-branch");
    expect(code).toBe(2);
    expect(err).toBe(
      `hookline check: --against no-such-branch: there is no directory of that name and no git ref of that name in ${repo}; pass a branch, tag or commit (see git branch -a, git log --oneline) or fetch it first (git fetch origin no-such-branch).\n`,
    );
  });

  it("says how to fix a catalog that did not exist at the ref", async () => {
    const { catalog } = await repository();
    const { code, err } = await hookline("check", "--catalog", catalog, "--against", "HEAD~1");
    expect(code).toBe(2);
    expect(err).toMatch(
      /^hookline check: The catalog folder catalog\/ does not exist at HEAD~1 \([0-9a-f]{12}\); pass a ref where it existed, or --against a directory holding the earlier catalog\.\n$/,
    );
  });

  it("says how to fix a catalog outside any git repository", async () => {
    const catalog = await writeCatalog(baseCatalog());
    const { code, err } = await hookline("check", "--catalog", catalog, "--against", "main");
    expect(code).toBe(2);
    expect(err).toBe(
      `hookline check: --against main: there is no directory of that name, and ${catalog} is not inside a git repository to read a ref from; pass a directory holding the earlier catalog, or run check in a git checkout.\n`,
    );
  });
});
