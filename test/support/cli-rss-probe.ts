/**
 * Preloaded into a CLI process by memory tests (`node --import <this file> sealpost.js …`): when
 * the process exits, writes its peak resident set size — getrusage's ru_maxrss, the figure
 * `/usr/bin/time -v` reports, in KiB — to the file named by RSS_PROBE_FILE. Test-only: the CLI
 * itself knows nothing of it.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.RSS_PROBE_FILE;
if (target !== undefined && target !== '') {
  process.on('exit', () => {
    writeFileSync(target, `${process.resourceUsage().maxRSS}\n`);
  });
}
