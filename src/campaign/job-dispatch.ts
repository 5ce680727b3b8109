import type { JobEntry } from './load-campaign.js';

interface Group {
  key: string;
  jobs: JobEntry[];
  /** Next job from the front. */
  head: number;
  /** One past the last job not yet taken (a lane that steals takes from the back). */
  tail: number;
}

/**
 * Hands a local pool's jobs to its lanes (one lane per process) so that each
 * process runs the jobs of one reference group (run-tally.ts, referenceGroup)
 * back to back and builds each reference run once: a lane keeps to its group
 * while it lasts, then opens the next group no other lane is on, and only
 * when none is left helps another lane from the back of that lane's group
 * (so the other keeps its run). The lanes are never idle while a job is left.
 * Groups are opened in order and each lane empties its group before it
 * opens another, so a pick skips at most a few groups per lane: O(lanes),
 * whatever the campaign's size.
 */
export class JobDispatch {
  private readonly groups: Group[] = [];
  /** Groups before this index are all taken. */
  private first = 0;
  /** The group each lane is on (its process holds that reference run). */
  private readonly laneGroup: (Group | null)[];
  /** Whether the lane helps another on its group (takes from the back). */
  private readonly fromBack: boolean[];

  constructor(order: { entry: JobEntry; group: string }[], lanes: number) {
    const byKey = new Map<string, Group>();
    for (const { entry, group } of order) {
      let g = byKey.get(group);
      if (!g) {
        g = { key: group, jobs: [], head: 0, tail: 0 };
        byKey.set(group, g);
        this.groups.push(g);
      }
      g.jobs.push(entry);
      g.tail = g.jobs.length;
    }
    this.laneGroup = new Array<Group | null>(lanes).fill(null);
    this.fromBack = new Array<boolean>(lanes).fill(false);
  }

  /** The next job for `lane`, or null when every job has been handed out. */
  next(lane: number): JobEntry | null {
    const own = this.laneGroup[lane];
    if (own && own.head < own.tail) return this.fromBack[lane] ? own.jobs[--own.tail] : own.jobs[own.head++];
    while (this.first < this.groups.length && this.groups[this.first].head >= this.groups[this.first].tail) this.first++;
    const busy = new Set(this.laneGroup.filter((g, i) => i !== lane && g !== null));
    for (let i = this.first; i < this.groups.length; i++) {
      const g = this.groups[i];
      if (g.head < g.tail && !busy.has(g)) {
        this.laneGroup[lane] = g;
        this.fromBack[lane] = false;
        return g.jobs[g.head++];
      }
    }
    // Every group with jobs left is another lane's: help the one with the most left, from its back.
    let most: Group | null = null;
    for (const g of busy) if (g && g.head < g.tail && (!most || g.tail - g.head > most.tail - most.head)) most = g;
    if (!most) return null;
    this.laneGroup[lane] = most;
    this.fromBack[lane] = true;
    return most.jobs[--most.tail];
  }
}
