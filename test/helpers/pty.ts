/**
 * Runs a command on a real pseudo-terminal through Python's pty module (a program we do not own
 * driving ours): `typing` is the Python that answers the prompts, e.g.
 * `read_until(b'Secret key: ')` then `os.write(fd, b'sk_test\\r')`. The script prints everything
 * the terminal showed, then `EXIT=<code>`.
 */
import { execFileSync } from 'node:child_process';

export function ptyDriver(typing: string): string {
  return `
import os, pty, sys, time, select
args = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(args[0], args)
out = b''
def read_until(marker, timeout=10):
    global out
    end = time.time() + timeout
    while marker not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                return
${typing.trim()}
while True:
    r, _, _ = select.select([fd], [], [], 10)
    if not r:
        break
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf-8', 'replace'))
sys.stdout.write('\\nEXIT=%d\\n' % os.waitstatus_to_exitcode(status))
`;
}

export function hasPythonPty(): boolean {
  try {
    execFileSync('python3', ['-c', 'import pty'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
