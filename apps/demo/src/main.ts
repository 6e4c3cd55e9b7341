import { runDemo } from "./demo.js";

console.log("Hookline demo: typed sender → signed HTTP on loopback → verifying, validating receiver\n");
const result = await runDemo();
const ok = result.delivered.every((d) => d.status === 200) && result.tamperedStatus === 401 && result.invalidPayloadPaths.length > 0;
console.log(ok ? "\ndemo ok" : "\ndemo FAILED");
process.exitCode = ok ? 0 : 1;
