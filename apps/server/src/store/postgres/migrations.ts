/**
 * PostgreSQL schema versions, applied in order (each in its own transaction, under an advisory lock)
 * and recorded in `migrations`. Never edit a released migration: add the next one. Version numbers
 * follow the SQLite backend's so both describe the same data model.
 *
 * Types: times are BIGINT epoch milliseconds (as in SQLite); `seq` identity columns order lists and
 * back cursors. The event body is BYTEA — the exact bytes accepted and signed, never JSONB, which
 * would reorder keys and normalise whitespace.
 *
 * Indexes, and the query each one serves:
 * - endpoints_turn (turn_at, seq) WHERE in line (v2): which endpoints a claim serves, in turn order.
 * - deliveries_queue (endpoint_id, next_attempt_at) WHERE pending|delivering: the claim's per-endpoint
 *   "oldest due first" pick, and each served endpoint's next pending delivery (its next turn).
 * - deliveries_leases (next_attempt_at) WHERE delivering (v2): expired leases, the earliest lease expiry.
 * - deliveries_leased (endpoint_id) WHERE delivering: the global per-endpoint in-flight count.
 * - deliveries_endpoint (endpoint_id, status, created_at): recover, dead-letter lists per endpoint.
 * - deliveries_status (status, seq): dead letters and queue depth.
 * - events_created (created_at): retention; attempts_event / attempts_endpoint: the attempt log.
 * - endpoint_pins_version (event_type, version) (v5): the subscribers of a version, pin counts.
 * - v7, the dashboard lists (each an index range scan in list order): events_type / events_tenant
 *   (type|tenant, seq); deliveries_status_event / deliveries_endpoint_event (status|endpoint_id,
 *   event_seq): events having a delivery in a status or to an endpoint; deliveries_endpoint_seq
 *   (endpoint_id, seq): an endpoint's deliveries; deliveries_tenant (tenant, seq): a tenant's
 *   (the event's tenant, copied at fan-out); deliveries_updated (updated_at): live polling;
 *   attempts_endpoint_time (endpoint_id, created_at) INCLUDE (status, error_code) and
 *   attempts_endpoint_failed: endpoint health.
 */
export const PG_MIGRATIONS: readonly { readonly version: number; readonly name: string; readonly sql: string }[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE endpoints (
        seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id               TEXT NOT NULL UNIQUE,
        url              TEXT NOT NULL,
        event_types      TEXT,                          -- JSON array; NULL = every type
        tenant           TEXT,
        secret           TEXT NOT NULL,                 -- SecretBox-sealed
        previous_secrets TEXT NOT NULL DEFAULT '[]',    -- JSON [{secret (sealed), expiresAt}]
        description      TEXT,
        rate_limit       DOUBLE PRECISION,
        rate_tokens      DOUBLE PRECISION,              -- global token bucket (NULL = full)
        rate_at          BIGINT,                        -- when rate_tokens was last computed
        disabled         BOOLEAN NOT NULL DEFAULT FALSE,
        disabled_reason  TEXT,
        metadata         TEXT NOT NULL DEFAULT '{}',
        failing_since    BIGINT,
        created_at       BIGINT NOT NULL,
        updated_at       BIGINT NOT NULL,
        deleted_at       BIGINT
      );
      CREATE INDEX endpoints_tenant ON endpoints (tenant) WHERE deleted_at IS NULL;

      CREATE TABLE events (
        seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        type         TEXT NOT NULL,
        tenant       TEXT,
        body         BYTEA NOT NULL,
        request_hash TEXT NOT NULL,
        created_at   BIGINT NOT NULL
      );
      CREATE INDEX events_created ON events (created_at);

      CREATE TABLE deliveries (
        seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        event_id        TEXT NOT NULL REFERENCES events (id),
        endpoint_id     TEXT NOT NULL REFERENCES endpoints (id),
        status          TEXT NOT NULL CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'cancelled')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        schedule_base   INTEGER NOT NULL DEFAULT 0,
        internal_errors INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT,                          -- due time (pending) or lease expiry (delivering)
        lease_token     TEXT,                            -- fencing token of the current lease
        last_attempt_at BIGINT,
        failure_reason  TEXT,
        created_at      BIGINT NOT NULL,
        updated_at      BIGINT NOT NULL,
        UNIQUE (event_id, endpoint_id)
      );
      CREATE INDEX deliveries_queue ON deliveries (endpoint_id, next_attempt_at) WHERE status IN ('pending', 'delivering');
      CREATE INDEX deliveries_leased ON deliveries (endpoint_id) WHERE status = 'delivering';
      CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, status, created_at);
      CREATE INDEX deliveries_status ON deliveries (status, seq);

      CREATE TABLE attempts (
        seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
        created_at    BIGINT NOT NULL
      );
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
    sql: "ALTER TABLE deliveries ADD COLUMN replay_resume_at BIGINT;",
  },
  {
    version: 4,
    name: "endpoint turns",
    sql: `
      -- Each endpoint's turn at the queue (src/domain/schedule.ts): claims read the endpoints in line
      -- from endpoints_turn instead of visiting every endpoint with queued work; expired leases are
      -- found through deliveries_leases and put their endpoints back in line.
      ALTER TABLE endpoints ADD COLUMN turn_at BIGINT;
      UPDATE endpoints e SET turn_at = (
        SELECT min(d.next_attempt_at) FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending'
      );
      CREATE INDEX endpoints_turn ON endpoints (turn_at, seq) WHERE turn_at IS NOT NULL AND NOT disabled AND deleted_at IS NULL;
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
      );
      CREATE INDEX endpoint_pins_version ON endpoint_pins (event_type, version);
    `,
  },
  {
    version: 6,
    name: "scoped API tokens and portal codes",
    // Only SHA-256 digests (hex) of tokens and codes are stored: a database dump opens nothing.
    sql: `
      CREATE TABLE tokens (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        hash         TEXT NOT NULL UNIQUE,            -- SHA-256 of the token, hex: the lookup key
        tenant       TEXT,                            -- NULL = every tenant
        access       TEXT NOT NULL CHECK (access IN ('read', 'write')),
        description  TEXT,
        expires_at   BIGINT,                          -- NULL = never
        created_at   BIGINT NOT NULL,
        last_used_at BIGINT,
        revoked_at   BIGINT
      );
      CREATE TABLE portal_codes (
        hash       TEXT PRIMARY KEY,                  -- SHA-256 of the single-use code, hex
        tenant     TEXT NOT NULL,
        access     TEXT NOT NULL CHECK (access IN ('read', 'write')),
        session_ms BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        used_at    BIGINT
      );
    `,
  },
  {
    version: 7,
    name: "dashboard feeds",
    // Every dashboard list is an index range scan in its own order. Events filtered by delivery
    // status or endpoint are read from the deliveries side in event order, hence `event_seq`.
    sql: `
      ALTER TABLE deliveries ADD COLUMN event_seq BIGINT;
      ALTER TABLE deliveries ADD COLUMN tenant TEXT;  -- the event's tenant (never changes), for the tenant's deliveries
      UPDATE deliveries d SET event_seq = e.seq, tenant = e.tenant FROM events e WHERE e.id = d.event_id;
      CREATE INDEX events_type ON events (type, seq);
      CREATE INDEX events_tenant ON events (tenant, seq);
      CREATE INDEX deliveries_status_event ON deliveries (status, event_seq);
      CREATE INDEX deliveries_endpoint_event ON deliveries (endpoint_id, event_seq);
      CREATE INDEX deliveries_endpoint_seq ON deliveries (endpoint_id, seq);
      CREATE INDEX deliveries_updated ON deliveries (updated_at);
      CREATE INDEX deliveries_tenant ON deliveries (tenant, seq);

      ALTER TABLE attempts ADD COLUMN request_headers TEXT;
      ALTER TABLE attempts ADD COLUMN response_headers TEXT;
      ALTER TABLE attempts ADD COLUMN response_headers_truncated BOOLEAN NOT NULL DEFAULT FALSE;
      CREATE INDEX attempts_endpoint_time ON attempts (endpoint_id, created_at) INCLUDE (status, error_code);
      CREATE INDEX attempts_endpoint_failed ON attempts (endpoint_id, created_at) WHERE status = 'failed';
    `,
  },
];
