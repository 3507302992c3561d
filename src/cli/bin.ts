#!/usr/bin/env node
import { main } from './main.js';

// The bin only runs main; everything testable lives in main.ts.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
