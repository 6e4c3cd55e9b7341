/**
 * Runs one benchmark operation in a tight loop so it can be profiled on its own:
 *
 *   node --cpu-prof --cpu-prof-dir=prof dist/profile/ops.js <op> [seconds]
 *   node dist/profile/summarize.js prof/<file>.cpuprofile
 *
 * `<op>` is one of the names printed by running it without arguments.
 */

import { receiverPathOps } from "../benchmarks/receiver-path.js";
import { senderPathOps } from "../benchmarks/sender-path.js";

const receiver = receiverPathOps();
const sender = senderPathOps();
const OPS: Readonly<Record<string, (i: number) => number>> = {
  "receiver-verify": receiver.ours,
  "official-receiver": receiver.officialPath,
  "verifier-verify": receiver.oursVerifyOnly,
  "raw-verify": receiver.rawVerifyOnly,
  "sender-build": sender.oursBuild,
  "signer-headers": sender.oursSignAndSerialize,
  "official-sign": sender.officialSignAndSerialize,
  "signer-sign": sender.oursSign,
  "raw-sign": sender.rawSignOnly,
};

const [name, seconds = "5"] = process.argv.slice(2);
const op = name === undefined ? undefined : OPS[name];
if (op === undefined) {
  console.error(`Usage: node --cpu-prof dist/profile/ops.js <op> [seconds]\nops: ${Object.keys(OPS).join(", ")}`);
  process.exitCode = 2;
} else {
  const end = performance.now() + Number(seconds) * 1000;
  let ops = 0;
  let checksum = 0;
  while (performance.now() < end) {
    for (let k = 0; k < 256; k++) checksum = (checksum + op(ops++)) | 0;
  }
  console.log(`${name}: ${Math.round(ops / Number(seconds)).toLocaleString("en-US")} ops/s (checksum ${checksum})`);
}
