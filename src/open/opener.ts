/**
 * Starts the user's browser on a URL. The URL is on the opener's command line, readable by every
 * local user in `ps` while it (and often the browser it starts) runs: it must never hold the
 * token (the caller passes a one-time code, see one-time-code.ts).
 *
 * $BROWSER, when set, is the command (as for xdg-open and Python's webbrowser: the first of a
 * `:`-separated list; `%s` in it stands for the URL, else the URL is added at the end; run
 * without a shell). Otherwise the system's opener. No browser (a server, a container) is not
 * an error: the URL is printed.
 */
import { spawn } from 'node:child_process';

export function openerCommand(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string[] {
  const custom = env.BROWSER?.split(platform === 'win32' ? ';' : ':').map((c) => c.trim()).find(Boolean);
  if (custom) {
    const words = custom.split(/\s+/);
    return words.some((w) => w.includes('%s')) ? words.map((w) => w.replaceAll('%s', url)) : [...words, url];
  }
  if (platform === 'darwin') return ['open', url];
  if (platform === 'win32') return ['cmd', '/c', 'start', '""', url.replace(/&/g, '^&')];
  return ['xdg-open', url];
}

export function openBrowser(url: string, env: NodeJS.ProcessEnv): void {
  const [cmd, ...argv] = openerCommand(url, env);
  try {
    const child = spawn(cmd, argv, { stdio: 'ignore', detached: true, env });
    child.on('error', () => {});
    child.unref();
  } catch {
    // nothing to open it with: the URL is printed
  }
}
