// Preloaded into a measured process and, through node's options, into every worker it forks: appends one line per
// process to the file BENCH_USAGE_FILE names, with its peak resident memory and CPU time.
const { appendFileSync } = require('node:fs');
process.on('exit', () => {
  if (process.env.BENCH_USAGE_FILE) {
    const usage = process.resourceUsage();
    const line = { pid: process.pid, maxRssKb: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime };
    appendFileSync(process.env.BENCH_USAGE_FILE, `${JSON.stringify(line)}\n`);
  }
});
