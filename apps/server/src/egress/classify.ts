/**
 * Address classification: is this IP a public destination, or which non-public range holds it?
 *
 * IPv6 forms that carry an IPv4 address are unwrapped first and judged by the IPv4 they carry, so
 * `::ffff:127.0.0.1` is loopback, never "unicast". Forms and their verdicts:
 * - IPv4-mapped `::ffff:0:0/96`: the kernel sends these as IPv4, so the embedded address decides.
 * - NAT64 well-known prefix `64:ff9b::/96` (RFC 6052): DNS64 networks hand these out for IPv4-only
 *   hosts, so the embedded address decides (a public one stays deliverable).
 * - IPv4-compatible `::a.b.c.d` (deprecated, RFC 4291), 6to4 `2002::/16` (deprecated, RFC 7526),
 *   Teredo `2001::/32`, IPv4-translated `::ffff:0:a.b.c.d` and local-use NAT64 `64:ff9b:1::/48`: blocked
 *   whatever they carry; the embedded address is named in the range when it is itself non-public.
 * Then cloud metadata addresses (exact), then ipaddr.js `range()`: anything but "unicast" is blocked,
 * and IPv6 "unicast" outside global unicast 2000::/3 (unassigned space) is blocked too.
 */
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

export type AddressClass = { kind: "public" } | { kind: "blocked"; range: string };

/**
 * Instance-metadata and platform endpoints reachable from inside a cloud VM. Blocked even when a
 * broader allow-list entry covers them; only an exact /32 or /128 entry admits one.
 */
export const METADATA_ADDRESSES: ReadonlyMap<string, string> = new Map([
  ["169.254.169.254", "AWS, GCP, Azure, Oracle, DigitalOcean, OpenStack instance metadata"],
  ["fd00:ec2::254", "AWS instance metadata over IPv6"],
  ["169.254.170.2", "AWS ECS task metadata and credentials"],
  ["169.254.170.23", "AWS EKS Pod Identity credentials"],
  ["fd00:ec2::23", "AWS EKS Pod Identity credentials over IPv6"],
  ["100.100.100.200", "Alibaba Cloud instance metadata"],
  ["192.0.0.192", "Oracle Cloud Infrastructure Classic metadata"],
  ["169.254.0.23", "Tencent Cloud instance metadata"],
  ["168.63.129.16", "Azure WireServer (platform agent, public address space)"],
]);

/** What the classifier learned about one address; `AddressClass` is its public face. */
export interface AddressInspection {
  readonly address: ipaddr.IPv4 | ipaddr.IPv6;
  /** The IPv4 the socket effectively reaches, for IPv4-mapped addresses only (allow-list matching). */
  readonly mappedIPv4: ipaddr.IPv4 | undefined;
  readonly metadata: boolean;
  readonly verdict: AddressClass;
}

const PUBLIC: AddressClass = { kind: "public" };
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

export function classifyAddress(ip: string): AddressClass {
  return inspectAddress(ip)?.verdict ?? { kind: "blocked", range: "invalid" };
}

/** `undefined` when `ip` is not a plain IPv4 dotted quad or IPv6 address. */
export function inspectAddress(ip: string): AddressInspection | undefined {
  const address = parseAddress(ip);
  if (address === undefined) return undefined;
  if (address.kind() === "ipv4") return inspectV4(address as ipaddr.IPv4);
  const v6 = address as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded === undefined) {
    const metadata = isMetadata(v6);
    return { address: v6, mappedIPv4: undefined, metadata, verdict: metadata ? blocked("metadata") : rangeOfV6(v6) };
  }
  const { verdict: inner, metadata: innerMetadata } = inspectV4(embedded.ipv4);
  const wrap = (range: string): AddressClass => blocked(`${embedded.form}(${range})`);
  const verdict: AddressClass = inner.kind === "blocked" ? wrap(inner.range) : embedded.transparent ? PUBLIC : blocked(embedded.form);
  return {
    address: v6,
    mappedIPv4: embedded.form === "ipv4Mapped" ? embedded.ipv4 : undefined,
    metadata: innerMetadata,
    verdict,
  };
}

/**
 * Parses a plain IPv4 dotted quad or IPv6 address; `undefined` for anything else. net.isIP gates it
 * because ipaddr.js alone also accepts "0x7f.1"-style spellings. IPv6 goes through its WHATWG
 * serialisation (all hex, zone dropped) because ipaddr.js reads "::127.0.0.1" as the IPv4-mapped
 * ::ffff:7f00:1, while the kernel connects to the IPv4-compatible ::7f00:1.
 */
export function parseAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const family = isIP(ip);
  if (family === 4) return ipaddr.IPv4.parse(ip);
  if (family !== 6) return undefined;
  const withoutZone = ip.split("%")[0] ?? ip;
  return ipaddr.IPv6.parse(new URL(`http://[${withoutZone}]/`).hostname.slice(1, -1));
}

function inspectV4(address: ipaddr.IPv4): AddressInspection {
  const metadata = isMetadata(address);
  const range = address.range();
  const verdict = metadata ? blocked("metadata") : range === "unicast" ? PUBLIC : blocked(range);
  return { address, mappedIPv4: undefined, metadata, verdict };
}

function rangeOfV6(address: ipaddr.IPv6): AddressClass {
  const range = address.range();
  if (range !== "unicast") return blocked(range);
  return address.match(GLOBAL_UNICAST_V6) ? PUBLIC : blocked("unassignedIPv6");
}

interface Embedded {
  readonly form: "ipv4Mapped" | "ipv4Translated" | "ipv4Compatible" | "nat64" | "nat64LocalUse" | "6to4" | "teredo";
  readonly ipv4: ipaddr.IPv4;
  /** true when the embedded address alone decides (the transport really reaches it). */
  readonly transparent: boolean;
}

function embeddedIPv4(address: ipaddr.IPv6): Embedded | undefined {
  const p = address.parts;
  const word = (i: number): number => p[i] ?? 0;
  const v4 = (hi: number, lo: number): ipaddr.IPv4 => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const zeros = (from: number, to: number): boolean => p.slice(from, to).every((x) => x === 0);

  if (zeros(0, 5) && word(5) === 0xffff) return { form: "ipv4Mapped", ipv4: v4(word(6), word(7)), transparent: true };
  if (zeros(0, 4) && word(4) === 0xffff && word(5) === 0) {
    return { form: "ipv4Translated", ipv4: v4(word(6), word(7)), transparent: false };
  }
  // ::/128 and ::1/128 are unspecified and loopback in their own right, not IPv4-compatible.
  if (zeros(0, 6) && (word(6) !== 0 || word(7) > 1)) {
    return { form: "ipv4Compatible", ipv4: v4(word(6), word(7)), transparent: false };
  }
  if (word(0) === 0x64 && word(1) === 0xff9b) {
    if (zeros(2, 6)) return { form: "nat64", ipv4: v4(word(6), word(7)), transparent: true };
    // 64:ff9b:1::/48 may embed the IPv4 at any of several offsets; judge it as local-use space.
    if (word(2) === 1) return { form: "nat64LocalUse", ipv4: v4(word(6), word(7)), transparent: false };
  }
  if (word(0) === 0x2002) return { form: "6to4", ipv4: v4(word(1), word(2)), transparent: false };
  if (word(0) === 0x2001 && word(1) === 0) {
    // Teredo stores the client's IPv4 bit-inverted in the last 32 bits.
    return { form: "teredo", ipv4: v4(~word(6) & 0xffff, ~word(7) & 0xffff), transparent: false };
  }
  return undefined;
}

function isMetadata(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return METADATA_ADDRESSES.has(address.toString());
}

function blocked(range: string): AddressClass {
  return { kind: "blocked", range };
}
