// Preloaded into a measured process: writes its peak resident memory to the file BENCH_USAGE_FILE names.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  if (process.env.BENCH_USAGE_FILE) {
    writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
  }
});
