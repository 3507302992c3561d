#!/usr/bin/env -S node --max-semi-space-size=2
// The flag: V8's young generation stays at 2 MB semi-spaces instead of growing
// to 16 MB. A sweep allocates many short-lived objects (agent lines, probe
// records); with the default the young generation alone grew by ~30 MB at 50
// hosts. Measured side by side (bench/RESULTS.md): peak RSS 150 -> 119 MB, CPU
// within noise. V8 reads it only at start-up, hence the shebang (env -S:
// GNU coreutils 8.30+, macOS, FreeBSD).
import { main } from './main.js';

// The bin only runs main; everything testable lives in main.ts.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
