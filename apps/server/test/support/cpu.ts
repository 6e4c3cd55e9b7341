/**
 * CPU time of a server under test: this process, plus — for PostgreSQL running on this machine —
 * the database backends serving this process's connections (found through /proc: this process's
 * sockets to the database port, matched to pg_stat_activity by client port). A database on another
 * machine is not counted (its backends are out of reach); the process's own time still is.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { sql, testDatabaseUrl } from "./postgres.js";

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU ms of this process (user + system). */
function processCpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/** Local ports of this process's TCP connections to `port` (IPv4 and IPv6). */
function localPortsTo(port: number): number[] {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      readdirSync("/proc/self/fd").flatMap((fd) => {
        try {
          const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
          return m?.[1] === undefined ? [] : [m[1]];
        } catch {
          return [];
        }
      }),
    );
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1];
      const remote = f[2];
      const inode = f[9];
      if (local === undefined || remote === undefined || inode === undefined || !inodes.has(inode)) continue;
      if (Number.parseInt(remote.split(":")[1] ?? "", 16) === port) ports.push(Number.parseInt(local.split(":")[1] ?? "", 16));
    }
  }
  return ports;
}

function pidCpuMs(pid: number): number {
  try {
    // Fields after the command (which may hold spaces): utime is the 14th field, stime the 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

async function backendCpu(): Promise<Map<number, number>> {
  const url = new URL(testDatabaseUrl());
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) return new Map();
  const ports = localPortsTo(Number(url.port || 5432));
  if (ports.length === 0) return new Map();
  const rows = await sql<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE client_port = ANY ($1::int[])", [ports]);
  return new Map(rows.map((r) => [r.pid, pidCpuMs(r.pid)]));
}

/** CPU ms the server spends over `ms` of waiting (this process and, on PostgreSQL, its backends). */
export async function serverCpuOver(ms: number, postgres: boolean): Promise<{ process: number; database: number }> {
  const dbBefore = postgres ? await backendCpu() : new Map<number, number>();
  const before = processCpuMs();
  await new Promise((r) => setTimeout(r, ms));
  const processMs = processCpuMs() - before;
  const dbAfter = postgres ? await backendCpu() : new Map<number, number>();
  let database = 0;
  for (const [pid, cpu] of dbAfter) database += cpu - (dbBefore.get(pid) ?? cpu);
  return { process: processMs, database };
}
