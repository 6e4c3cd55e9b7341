#!/usr/bin/env node
// Thin launcher so the bin link exists before the first build; the CLI lives in src/cli.ts.
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv);
