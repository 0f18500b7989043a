/**
 * Reading other processes from /proc for the benchmarks' memory figures (Linux only): the workerd that
 * Miniflare started as a child of a given process, and a process's resident set size.
 */
import { readdirSync, readFileSync } from "node:fs";

/** The pid of the workerd process whose parent is `parentPid`; throws when there is none. */
export function workerdChildOf(parentPid: number): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm === "workerd" && ppid === parentPid) {
        return Number(entry);
      }
    } catch {
      // The process ended between listing and reading: not ours.
    }
  }
  throw new Error(`no workerd child of process ${parentPid} found`);
}

/** Resident set size of `pid` in MiB (VmRSS). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}
