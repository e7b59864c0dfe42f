// Loaded into the language server by npm run bench (node --expose-gc --require): on SIGUSR2 it
// collects garbage and appends the live memory to $CGO_BENCH_MEMORY_LOG, one JSON line. RSS
// alone cannot tell a leak from a heap V8 has not bothered to shrink; memory live after a full
// collection can. The server itself knows nothing of this.
const fs = require('node:fs');

process.on('SIGUSR2', () => {
  global.gc();
  const usage = process.memoryUsage();
  const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
  // `external` holds the wasm memories of the parsers, where tree-sitter keeps every tree.
  const line = { rss: mb(usage.rss), heapUsed: mb(usage.heapUsed), external: mb(usage.external) };
  fs.appendFileSync(process.env.CGO_BENCH_MEMORY_LOG, `${JSON.stringify(line)}\n`);
});
