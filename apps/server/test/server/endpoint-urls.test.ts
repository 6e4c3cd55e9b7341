import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PG_MIGRATIONS } from "../../src/store/postgres/migrations.js";
import { MIGRATIONS } from "../../src/store/sqlite/migrations.js";
import { startFaultReceiver, type FaultReceiver, type ReceivedRequest } from "../support/fault-receiver.js";
import { schemaName, sql, testBackend } from "../support/postgres.js";
import { example, header, removeStorage, startServer, waitUntil, type TestServer } from "../support/server.js";

const MASTER_KEY = Buffer.alloc(32, 7);
const basic = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;

/** Everything the database holds, as text: the SQLite files' bytes, or PostgreSQL's endpoint and attempt rows. */
async function databaseText(server: Pick<TestServer, "backend" | "dbPath" | "schema">): Promise<string> {
  if (server.backend === "postgres") {
    const rows = await sql<{ t: string }>(
      "SELECT e::text AS t FROM endpoints e UNION ALL SELECT a::text FROM attempts a",
      [],
      server.schema,
    );
    return rows.map((r) => r.t).join("\n");
  }
  return ["", "-wal", "-shm", "-journal"]
    .map((suffix) => `${server.dbPath}${suffix}`)
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString("latin1"))
    .join("\n");
}

describe("endpoint URLs with credentials", () => {
  let receiver: FaultReceiver;
  let server: TestServer;
  let host: string;

  beforeAll(async () => {
    receiver = await startFaultReceiver();
    host = new URL(receiver.url).host;
    server = await startServer({ config: { masterKey: MASTER_KEY } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  const deliver = async (type: string, path: string): Promise<ReceivedRequest> => {
    const before = receiver.requests.filter((r) => r.path === path).length;
    const sent = await server.api("POST", "/v1/events", { type, payload: example(type) });
    expect(sent.status).toBe(202);
    await receiver.waitFor((reqs) => reqs.filter((r) => r.path === path).length > before);
    return receiver.requests.filter((r) => r.path === path)[before]!;
  };

  it("masks credentials and query values in every answer, stores them sealed, and still delivers with them", async () => {
    const url = `http://hook-user:pa55-XYZ-secret@${host}/creds?token=tok-QUERY-secret&v=2`;
    const masked = `http://****:****@${host}/creds?token=****&v=****`;
    const created = await server.api("POST", "/v1/endpoints", { url, eventTypes: ["order.created"] });
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(url); // once, in full, like the secret
    const ep = created.body.id as string;

    const answers = [
      await server.api("GET", "/v1/endpoints"),
      await server.api("GET", `/v1/endpoints/${ep}`),
      await server.api("PATCH", `/v1/endpoints/${ep}`, { description: "renamed" }),
    ];
    for (const res of answers) expect(res.status).toBe(200);
    expect(answers[0]!.body.data.find((e: { id: string }) => e.id === ep).url).toBe(masked);
    expect(answers[1]!.body.url).toBe(masked);
    expect(answers[2]!.body.url).toBe(masked);

    // The PATCH above did not lose the credentials: the delivery carries them.
    const req = await deliver("order.created", "/creds");
    expect(header(req, "authorization")).toBe(basic("hook-user", "pa55-XYZ-secret"));
    expect(req.search).toBe("?token=tok-QUERY-secret&v=2");

    const events = await server.api("GET", "/v1/events?limit=5");
    const attempts = await server.api("GET", `/v1/endpoints/${ep}/attempts`);
    const db = await databaseText(server);
    for (const secret of ["pa55-XYZ-secret", "tok-QUERY-secret"]) {
      for (const res of [...answers, events, attempts]) expect(res.text).not.toContain(secret);
      expect(db.includes(secret), `the database holds ${secret} in clear`).toBe(false);
    }
    expect(db.includes("enc:v1:"), "sealed values in the database").toBe(true);
  });

  it("keeps the stored URL when a PATCH sends the masked URL back, and replaces it with a new one", async () => {
    const created = await server.api("POST", "/v1/endpoints", {
      url: `http://u1:old-PW-1@${host}/patch-a?key=old-KEY-1`,
      eventTypes: ["order.shipped"],
    });
    const ep = created.body.id as string;
    const shown = (await server.api("GET", `/v1/endpoints/${ep}`)).body;
    // Read, edit, send everything back: the masked URL means "unchanged".
    const roundTrip = await server.api("PATCH", `/v1/endpoints/${ep}`, {
      url: shown.url,
      eventTypes: shown.eventTypes,
      description: "edited",
    });
    expect(roundTrip.status).toBe(200);
    expect(roundTrip.body.url).toBe(shown.url);
    const kept = await deliver("order.shipped", "/patch-a");
    expect(header(kept, "authorization")).toBe(basic("u1", "old-PW-1"));
    expect(kept.search).toBe("?key=old-KEY-1");

    // A masked URL that is not the stored one cannot be meant: refused, nothing changed.
    for (const bad of [shown.url.replace("/patch-a", "/elsewhere"), `http://u1:****@${host}/patch-a?key=real`]) {
      const refused = await server.api("PATCH", `/v1/endpoints/${ep}`, { url: bad });
      expect(refused.status, bad).toBe(422);
      expect(refused.body.error).toMatchObject({ code: "masked_url", details: [{ path: "/url" }] });
    }
    const cloned = await server.api("POST", "/v1/endpoints", { url: shown.url });
    expect(cloned.status).toBe(422);
    expect(cloned.body.error.code).toBe("masked_url");

    // A new URL replaces the old one, credentials and all.
    const replaced = await server.api("PATCH", `/v1/endpoints/${ep}`, { url: `http://u2:new-PW-2@${host}/patch-b?key=new-KEY-2` });
    expect(replaced.status).toBe(200);
    expect(replaced.body.url).toBe(`http://****:****@${host}/patch-b?key=****`);
    const moved = await deliver("order.shipped", "/patch-b");
    expect(header(moved, "authorization")).toBe(basic("u2", "new-PW-2"));
    expect(moved.search).toBe("?key=new-KEY-2");
    const db = await databaseText(server);
    for (const secret of ["old-PW-1", "old-KEY-1", "new-PW-2", "new-KEY-2"])
      expect(db.includes(secret), `the database holds ${secret} in clear`).toBe(false);
  });
});

describe("endpoint URLs stored before they were sealed", () => {
  const dir = mkdtempSync(join(tmpdir(), "hookline-urls-"));
  const later = mkdtempSync(join(tmpdir(), "hookline-urls-key-"));
  afterAll(async () => {
    await removeStorage(dir);
    await removeStorage(later);
  });

  it("are encrypted when a master key is set on a database that had none", async () => {
    const receiver = await startFaultReceiver();
    const url = `http://late:late-PW-secret@${new URL(receiver.url).host}/late?token=late-TOKEN-secret`;
    const first = await startServer({ dir: later });
    try {
      const ep = (await first.api("POST", "/v1/endpoints", { url, eventTypes: ["order.created"] })).body.id as string;
      expect((await first.api("GET", `/v1/endpoints/${ep}`)).body.url).toBe(
        `http://****:****@${new URL(receiver.url).host}/late?token=****`,
      );
      // Without a key the sealed copy is clear text, like the signing secrets.
      expect((await databaseText(first)).includes("late-PW-secret")).toBe(true);
    } finally {
      await first.close();
    }
    const second = await startServer({ dir: later, config: { masterKey: MASTER_KEY } });
    try {
      const db = await databaseText(second);
      for (const secret of ["late-PW-secret", "late-TOKEN-secret"])
        expect(db.includes(secret), `the database holds ${secret} in clear`).toBe(false);
      await second.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") });
      await receiver.waitFor((reqs) => reqs.some((r) => r.path === "/late"));
      const req = receiver.requests.find((r) => r.path === "/late")!;
      expect(header(req, "authorization")).toBe(basic("late", "late-PW-secret"));
      expect(req.search).toBe("?token=late-TOKEN-secret");
    } finally {
      await second.close();
      await receiver.close();
    }
  });

  it("are masked and sealed when the new version starts with a master key, and still delivered to", async () => {
    const receiver = await startFaultReceiver();
    const url = `http://legacy:legacy-PW-secret@${new URL(receiver.url).host}/legacy?token=legacy-TOKEN-secret`;
    // A database at schema version 1, as the previous release left it: the URL in clear.
    const insert =
      "INSERT INTO endpoints (id, url, event_types, tenant, secret, created_at, updated_at) VALUES ('ep_legacy', $1, '[\"order.created\"]', NULL, $2, 0, 0)";
    const secret = `whsec_${Buffer.alloc(32, 5).toString("base64")}`;
    if (testBackend() === "postgres") {
      const schema = schemaName(dir);
      await sql(`CREATE SCHEMA ${schema}`);
      await sql(PG_MIGRATIONS[0]!.sql, [], schema);
      await sql("CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)", [], schema);
      await sql("INSERT INTO migrations VALUES (1, 'initial schema', 0)", [], schema);
      await sql(insert, [url, secret], schema);
    } else {
      const db = new Database(join(dir, "hookline.db"));
      db.pragma("journal_mode = WAL");
      db.exec(MIGRATIONS[0]!.sql);
      db.exec("CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT");
      db.exec("INSERT INTO migrations VALUES (1, 'initial schema', 0)");
      db.prepare(insert.replace(/\$\d/g, "?")).run(url, secret);
      db.close();
    }
    const server = await startServer({ dir, config: { masterKey: MASTER_KEY } });
    try {
      expect((await server.api("GET", "/v1/endpoints/ep_legacy")).body.url).toBe(
        `http://****:****@${new URL(receiver.url).host}/legacy?token=****`,
      );
      const db = await databaseText(server);
      for (const secret of ["legacy-PW-secret", "legacy-TOKEN-secret"])
        expect(db.includes(secret), `the database holds ${secret} in clear`).toBe(false);
      await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") });
      await receiver.waitFor((reqs) => reqs.some((r) => r.path === "/legacy"));
      const req = receiver.requests.find((r) => r.path === "/legacy")!;
      expect(header(req, "authorization")).toBe(basic("legacy", "legacy-PW-secret"));
      expect(req.search).toBe("?token=legacy-TOKEN-secret");
      await waitUntil(
        async () => (await server.api("GET", "/v1/endpoints/ep_legacy/attempts")).body.data.length > 0,
        5000,
        "attempt recorded",
      );
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});
