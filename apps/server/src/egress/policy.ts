/**
 * Egress policy: which destinations the server may connect to.
 *
 * Public addresses are always allowed. A non-public address is allowed only when an allow-list CIDR
 * contains the address itself or, for IPv4-mapped IPv6, the IPv4 it maps to. Cloud metadata addresses
 * need an entry that names them exactly (/32 or /128): `169.254.0.0/16` does not open 169.254.169.254.
 */
import ipaddr from "ipaddr.js";
import { inspectAddress, parseAddress } from "./classify.js";

export interface EgressPolicy {
  /**
   * CIDRs explicitly allowed even though non-public (e.g. 127.0.0.1/32, 10.0.0.0/8). Metadata ranges
   * stay blocked unless an allow entry covers them EXACTLY (169.254.169.254/32, fd00:ec2::254/128).
   */
  readonly allow: readonly string[];
  /** Refuse http: URLs. */
  readonly httpsOnly: boolean;
  /** Danger: skip TLS certificate verification (the server names it HOOKLINE_DANGEROUSLY_ALLOW_INVALID_TLS). */
  readonly allowInvalidTls?: boolean;
}

export type AllowDecision = { ok: true } | { ok: false; reason: string };

interface AllowEntry {
  readonly network: ipaddr.IPv4 | ipaddr.IPv6;
  readonly bits: number;
  readonly exact: boolean;
}

const EXPECTED_FORM = 'expected comma-separated CIDRs such as "127.0.0.1/32, 10.0.0.0/8, ::1/128", or "none"';

/**
 * Parses an allow-list setting. `undefined`, `""` and `"none"` mean no allow-list. Entries are separated
 * by commas and/or whitespace and returned in canonical form; every bad entry is named in one error.
 */
export function parseAllowList(value: string | undefined): string[] {
  const trimmed = value?.trim() ?? "";
  if (trimmed === "" || trimmed.toLowerCase() === "none") return [];
  const entries: string[] = [];
  const problems: string[] = [];
  for (const raw of trimmed.split(/[\s,]+/).filter((s) => s !== "")) {
    const parsed = parseCidr(raw);
    if (typeof parsed === "string") problems.push(parsed);
    else {
      const canonical = `${parsed.network.toString()}/${parsed.bits}`;
      if (!entries.includes(canonical)) entries.push(canonical);
    }
  }
  if (problems.length > 0) throw new Error(`invalid egress allow-list: ${problems.join("; ")} (${EXPECTED_FORM})`);
  return entries;
}

export function isAllowed(ip: string, policy: EgressPolicy): AllowDecision {
  const info = inspectAddress(ip);
  if (info === undefined) return { ok: false, reason: `${JSON.stringify(ip)} is not an IP address` };
  if (info.verdict.kind === "public") return { ok: true };
  const candidates = info.mappedIPv4 === undefined ? [info.address] : [info.address, info.mappedIPv4];
  const admitted = compiled(policy.allow).some((entry) => (entry.exact || !info.metadata) && candidates.some((c) => contains(entry, c)));
  if (admitted) return { ok: true };
  if (!info.metadata) {
    return { ok: false, reason: `${ip} is in a non-public range (${info.verdict.range}) and no allow-list entry covers it` };
  }
  const target = info.mappedIPv4 ?? info.address;
  const exact = `${target.toString()}/${target.kind() === "ipv4" ? 32 : 128}`;
  return {
    ok: false,
    reason: `${ip} is a cloud metadata address (${info.verdict.range}); only the exact allow-list entry ${exact} admits it`,
  };
}

/** Validates a policy up front so a typo fails at startup, not as silently blocked deliveries. */
export function assertValidPolicy(policy: EgressPolicy): void {
  parseAllowList(policy.allow.join(","));
}

const cache = new WeakMap<readonly string[], readonly AllowEntry[]>();

/** Entries that do not parse admit nothing (fail closed); `assertValidPolicy` reports them. */
function compiled(allow: readonly string[]): readonly AllowEntry[] {
  let entries = cache.get(allow);
  if (entries === undefined) {
    entries = allow.map(parseCidr).filter((e): e is AllowEntry => typeof e !== "string");
    cache.set(allow, entries);
  }
  return entries;
}

function contains(entry: AllowEntry, address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (entry.network.kind() !== address.kind()) return false;
  return address.match(entry.network, entry.bits);
}

/** An entry, or a message naming what is wrong with it. */
function parseCidr(raw: string): AllowEntry | string {
  const slash = raw.indexOf("/");
  const ip = slash < 0 ? raw : raw.slice(0, slash);
  const prefix = slash < 0 ? "" : raw.slice(slash + 1);
  const network = parseAddress(ip);
  if (network === undefined) return `"${raw}" is not a CIDR (the address part is not an IPv4 or IPv6 address)`;
  const max = network.kind() === "ipv4" ? 32 : 128;
  if (slash < 0) return `"${raw}" has no prefix length (write ${raw}/${max} for a single address)`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `"${raw}" has an invalid prefix length (0-${max})`;
  const bits = Number(prefix);
  const base =
    network.kind() === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(`${network.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${network.toString()}/${bits}`);
  if (base.toString() !== network.toString()) {
    return `"${raw}" has host bits set (did you mean ${base.toString()}/${bits}?)`;
  }
  return { network, bits, exact: bits === max };
}
