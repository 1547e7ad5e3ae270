/**
 * Whether a process with this id exists on this machine (signal 0 checks without sending anything; `EPERM`
 * means it exists under another user). How the local runtime tells a live pipeline from one that was killed
 * and left its pipeline file or its pull leases behind.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
