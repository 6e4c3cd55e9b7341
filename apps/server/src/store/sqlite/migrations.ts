/**
 * Schema versions, applied in order inside one transaction each and recorded in `migrations`.
 * Never edit a released migration: add the next one.
 *
 * Times are INTEGER epoch milliseconds. `seq` columns are rowids: they order lists and back cursors.
 */
export const MIGRATIONS: readonly { readonly version: number; readonly name: string; readonly sql: string }[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE endpoints (
        seq              INTEGER PRIMARY KEY,
        id               TEXT NOT NULL UNIQUE,
        url              TEXT NOT NULL,
        event_types      TEXT,                          -- JSON array; NULL = every type
        tenant           TEXT,
        secret           TEXT NOT NULL,                 -- SecretBox-sealed
        previous_secrets TEXT NOT NULL DEFAULT '[]',    -- JSON [{secret (sealed), expiresAt}]
        description      TEXT,
        rate_limit       REAL,
        disabled         INTEGER NOT NULL DEFAULT 0,
        disabled_reason  TEXT,
        metadata         TEXT NOT NULL DEFAULT '{}',
        failing_since    INTEGER,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        deleted_at       INTEGER
      ) STRICT;
      CREATE INDEX endpoints_tenant ON endpoints (tenant) WHERE deleted_at IS NULL;

      CREATE TABLE events (
        seq          INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        type         TEXT NOT NULL,
        tenant       TEXT,
        body         BLOB NOT NULL,                     -- the envelope, exactly as signed and sent
        request_hash TEXT NOT NULL,
        created_at   INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX events_created ON events (created_at);

      CREATE TABLE deliveries (
        seq             INTEGER PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        event_id        TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        endpoint_id     TEXT NOT NULL REFERENCES endpoints (id),
        status          TEXT NOT NULL CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'cancelled')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        schedule_base   INTEGER NOT NULL DEFAULT 0,      -- attempts at the last (re-)arming: retry n = attempts - schedule_base
        internal_errors INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,                         -- due time (pending) or lease expiry (delivering)
        lease_token     TEXT,
        last_attempt_at INTEGER,
        failure_reason  TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        UNIQUE (event_id, endpoint_id)
      ) STRICT;
      -- The queue: queued deliveries per endpoint, by due time (claims seek into it per endpoint).
      CREATE INDEX deliveries_queue ON deliveries (endpoint_id, next_attempt_at) WHERE status IN ('pending', 'delivering');
      CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, status, created_at);
      CREATE INDEX deliveries_status ON deliveries (status);

      CREATE TABLE attempts (
        seq           INTEGER PRIMARY KEY,
        id            TEXT NOT NULL UNIQUE,
        delivery_id   TEXT NOT NULL,
        event_id      TEXT NOT NULL,
        endpoint_id   TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
        status_code   INTEGER,
        duration_ms   INTEGER NOT NULL,
        error_code    TEXT,
        error_message TEXT,
        response_body TEXT NOT NULL,
        created_at    INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX attempts_event ON attempts (event_id, seq);
      CREATE INDEX attempts_endpoint ON attempts (endpoint_id, seq);
    `,
  },
  {
    version: 2,
    name: "sealed endpoint URLs",
    // `url` becomes the masked URL; existing rows are masked and sealed by the pass that follows
    // every migrate (store/endpoint-urls.ts), which needs the master key and so cannot be SQL.
    sql: `
      ALTER TABLE endpoints ADD COLUMN sealed_url TEXT;  -- SecretBox-sealed full URL when url is masked; NULL = url is the real URL
    `,
  },
  {
    version: 3,
    name: "replay of a retrying delivery keeps its retry",
    // Set while a replay's extra attempt of a delivery waiting for a retry is due or in flight: the
    // retry time it goes back to if that attempt fails (see DeliveryWorker #judge).
    sql: "ALTER TABLE deliveries ADD COLUMN replay_resume_at INTEGER;",
  },
  {
    version: 4,
    name: "endpoint turns",
    sql: `
      -- Each endpoint's turn at the queue (src/domain/schedule.ts): claims read the endpoints in line
      -- from this index instead of visiting every endpoint with queued work. Leases are watched apart
      -- (deliveries_leases): an expired one puts its endpoint back in line.
      ALTER TABLE endpoints ADD COLUMN turn_at INTEGER;
      UPDATE endpoints SET turn_at = (
        SELECT MIN(d.next_attempt_at) FROM deliveries d WHERE d.endpoint_id = endpoints.id AND d.status = 'pending'
      );
      CREATE INDEX endpoints_turn ON endpoints (turn_at) WHERE turn_at IS NOT NULL AND disabled = 0 AND deleted_at IS NULL;
      CREATE INDEX deliveries_leases ON deliveries (next_attempt_at) WHERE status = 'delivering';
    `,
  },
  {
    version: 5,
    name: "event versions and endpoint pins",
    // Rows from before this version get their version from the catalog, which SQL does not know:
    // the NULLs are filled by Store.applyCatalog at start (the newest version of their type, the only
    // one the server carried then), and so are the pins of existing endpoints.
    sql: `
      ALTER TABLE events ADD COLUMN version INTEGER;      -- the version the producer sent
      ALTER TABLE deliveries ADD COLUMN version INTEGER;  -- the version sent to the endpoint (its pin)
      CREATE TABLE endpoint_pins (
        endpoint_id TEXT NOT NULL REFERENCES endpoints (id),
        event_type  TEXT NOT NULL,
        version     INTEGER NOT NULL,
        PRIMARY KEY (endpoint_id, event_type)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX endpoint_pins_version ON endpoint_pins (event_type, version);
    `,
  },
  {
    version: 6,
    name: "scoped API tokens and portal codes",
    // Only SHA-256 digests (hex) of tokens and codes are stored: a database dump opens nothing.
    sql: `
      CREATE TABLE tokens (
        seq INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        hash         TEXT NOT NULL UNIQUE,            -- SHA-256 of the token, hex: the lookup key
        tenant       TEXT,                            -- NULL = every tenant
        access       TEXT NOT NULL CHECK (access IN ('read', 'write')),
        description  TEXT,
        expires_at   INTEGER,                          -- NULL = never
        created_at   INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at   INTEGER
      ) STRICT;
      CREATE TABLE portal_codes (
        hash       TEXT PRIMARY KEY,                  -- SHA-256 of the single-use code, hex
        tenant     TEXT NOT NULL,
        access     TEXT NOT NULL CHECK (access IN ('read', 'write')),
        session_ms INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        used_at    INTEGER
      ) STRICT;
    `,
  },
  {
    version: 7,
    name: "dashboard feeds",
    // Every dashboard list is an index range scan in its own order (SQLite indexes end with the
    // rowid, so `(type)` is `(type, seq)`). Events filtered by delivery status or endpoint are read
    // from the deliveries side in event order, hence `event_seq` (the event's seq, set at fan-out);
    // a tenant's deliveries by the event's tenant, copied onto them likewise.
    sql: `
      ALTER TABLE deliveries ADD COLUMN event_seq INTEGER;
      ALTER TABLE deliveries ADD COLUMN tenant TEXT;  -- the event's tenant (never changes), for the tenant's deliveries
      UPDATE deliveries SET (event_seq, tenant) = (SELECT e.seq, e.tenant FROM events e WHERE e.id = deliveries.event_id);
      CREATE INDEX events_type ON events (type);
      CREATE INDEX events_tenant ON events (tenant);
      CREATE INDEX deliveries_status_event ON deliveries (status, event_seq);
      CREATE INDEX deliveries_endpoint_event ON deliveries (endpoint_id, event_seq);
      CREATE INDEX deliveries_endpoint_seq ON deliveries (endpoint_id);
      CREATE INDEX deliveries_updated ON deliveries (updated_at);
      CREATE INDEX deliveries_tenant ON deliveries (tenant);

      -- What an attempt sent (signatures redacted) and what it got back (capped): JSON objects, NULL
      -- for attempts recorded before this version (and response headers of attempts without a response).
      ALTER TABLE attempts ADD COLUMN request_headers TEXT;
      ALTER TABLE attempts ADD COLUMN response_headers TEXT;
      ALTER TABLE attempts ADD COLUMN response_headers_truncated INTEGER NOT NULL DEFAULT 0;
      -- Endpoint health: the last 24 h of attempts (covering), and the newest failure.
      CREATE INDEX attempts_endpoint_time ON attempts (endpoint_id, created_at, status, error_code);
      CREATE INDEX attempts_endpoint_failed ON attempts (endpoint_id, created_at) WHERE status = 'failed';
    `,
  },
];
