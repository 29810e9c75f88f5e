// Preloaded with --import into a measured process: reports its peak resident memory and the CPU
// time it used on exit (CPU time stays honest on a machine shared with other work; wall time does not).
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nBENCH_MAX_RSS_KIB=${u.maxRSS}\nBENCH_CPU_US=${u.userCPUTime + u.systemCPUTime}\n`);
});
