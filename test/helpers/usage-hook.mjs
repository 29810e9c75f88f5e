// Preloaded with --import into a child under test: on exit, writes its CPU time and peak memory
// to the file named by API_NOTEBOOK_USAGE_FILE, so a test can bound what the real bin spent
// without its wall time (which depends on how busy the machine is).
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.API_NOTEBOOK_USAGE_FILE;
  if (!file) return;
  const u = process.resourceUsage();
  writeFileSync(file, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKiB: u.maxRSS }));
});
