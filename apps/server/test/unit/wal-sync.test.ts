import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WalSync } from "../../src/store/sqlite/wal-sync.js";

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return { ...actual, fsync: vi.fn(actual.fsync) };
});

describe("WalSync", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hookline-walsync-"));
    vi.mocked(fs.fsync).mockClear();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("answers a burst of syncs with at most two fsyncs: one running, one started after the last call", async () => {
    const path = join(dir, "db-wal");
    writeFileSync(path, "frames");
    const wal = new WalSync(path);
    await wal.sync();
    expect(fs.fsync).toHaveBeenCalledTimes(1);
    await Promise.all(Array.from({ length: 100 }, () => wal.sync()));
    expect(vi.mocked(fs.fsync).mock.calls.length - 1).toBeLessThanOrEqual(2);
    await wal.close();
  });

  it("a sync asked for while one runs waits for the next fsync, not the running one", async () => {
    const path = join(dir, "db-wal");
    writeFileSync(path, "frames");
    const wal = new WalSync(path);
    const order: string[] = [];
    const first = wal.sync().then(() => order.push(`first after ${vi.mocked(fs.fsync).mock.calls.length} fsync`));
    await Promise.resolve();
    const second = wal.sync().then(() => order.push(`second after ${vi.mocked(fs.fsync).mock.calls.length} fsyncs`));
    await Promise.all([first, second]);
    expect(order).toEqual(["first after 1 fsync", "second after 2 fsyncs"]);
    await wal.close();
  });

  it("fails while the file is missing, then works once it exists (the open is retried)", async () => {
    const path = join(dir, "db-wal");
    const wal = new WalSync(path);
    await expect(wal.sync()).rejects.toMatchObject({ code: "ENOENT" });
    writeFileSync(path, "frames");
    await expect(wal.sync()).resolves.toBeUndefined();
    await wal.close();
    await expect(wal.sync()).rejects.toThrow(/closed/);
  });
});
