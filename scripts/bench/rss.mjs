// Preloaded into a measured child (`node --import`): reports the process's peak RSS on exit.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const fd = Number(process.env.BENCH_REPORT_FD ?? 2);
  writeSync(fd, `\nBENCH_RSS ${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
});
