/**
 * The undici connector that enforces the egress policy on the address each socket connects to.
 *
 * Hostnames: net.connect calls our `lookup`, which resolves once (all addresses), drops every address
 * the policy refuses and hands only checked addresses back to the socket, so there is no second
 * resolution for DNS rebinding to exploit. If nothing is left, the connect fails before any packet is
 * sent. IP literals: net.connect never calls `lookup` for them, so the connector classifies them
 * itself and refuses before calling net.connect at all.
 */
import dns from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { buildConnector } from "undici";
import { classifyAddress } from "./classify.js";
import { isAllowed, type EgressPolicy } from "./policy.js";

export const BLOCKED_DESTINATION_CODE = "ERR_HOOKLINE_BLOCKED_DESTINATION";

export class BlockedDestinationError extends Error {
  readonly code = BLOCKED_DESTINATION_CODE;
  override readonly name = "BlockedDestinationError";
}

/**
 * Backstop for a connect that outlives its attempt (undici keeps connecting after an abort); attempts
 * enforce their own, shorter deadline.
 */
const CONNECT_TIMEOUT_MS = 30_000;

export function createCheckedConnector(policy: EgressPolicy, lookup: typeof dns.lookup = dns.lookup): buildConnector.connector {
  const connect = buildConnector({
    lookup: checkedLookup(policy, lookup),
    rejectUnauthorized: policy.allowInvalidTls !== true,
    timeout: CONNECT_TIMEOUT_MS,
  });
  return (options, callback) => {
    const host = options.hostname.replace(/^\[(.*)\]$/, "$1");
    if (isIP(host) !== 0) {
      const decision = isAllowed(host, policy);
      if (!decision.ok) {
        process.nextTick(callback, new BlockedDestinationError(`destination refused: ${decision.reason}`), null);
        return;
      }
    }
    connect(options, callback);
  };
}

function checkedLookup(policy: EgressPolicy, lookup: typeof dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    const fail = (error: NodeJS.ErrnoException): void => callback(error, "", 0);
    const onResolved = (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]): void => {
      if (error) {
        fail(error);
        return;
      }
      const allowed = addresses.filter((entry) => isAllowed(entry.address, policy).ok);
      const [first] = allowed;
      if (first === undefined) {
        if (addresses.length === 0) fail(Object.assign(new Error(`${hostname} has no addresses`), { code: "ENOTFOUND" }));
        else fail(new BlockedDestinationError(refusal(hostname, addresses)));
        return;
      }
      if (options.all === true) callback(null, allowed);
      else callback(null, first.address, first.family);
    };
    try {
      lookup(hostname, { ...options, all: true }, onResolved);
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
    }
  };
}

/** "h resolves only to refused addresses: 10.0.0.1 (private), fd00::1 (uniqueLocal)", at most 5 listed. */
function refusal(hostname: string, addresses: readonly dns.LookupAddress[]): string {
  const listed = addresses.slice(0, 5).map(({ address }) => {
    const verdict = classifyAddress(address);
    return `${address} (${verdict.kind === "blocked" ? verdict.range : "not allow-listed"})`;
  });
  const more = addresses.length > 5 ? ` and ${addresses.length - 5} more` : "";
  return `destination refused: ${hostname} resolves only to refused addresses: ${listed.join(", ")}${more}`;
}
