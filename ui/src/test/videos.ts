// Videos for the UI's tests: one shape, so that a field added to `VideoSummary` is added
// here once rather than in every test file.

import type { VideoSummary } from '../lib/api';

/** The `i`-th video of creator `c` (`c/v-<i>.mp4`), nothing about it set, with `patch`. */
export function videoAt(i: number, patch: Partial<VideoSummary> = {}): VideoSummary {
  return {
    id: i,
    key: `c/v-${i}.mp4`,
    creator: 'c',
    name: `v-${i}.mp4`,
    size: i,
    lastModified: i,
    recordedAt: null,
    favorite: false,
    seenAt: null,
    markedSeenAt: null,
    position: 0,
    prediction: null,
    quality: null,
    title: null,
    date: 0,
    datedBy: 'uploaded',
    missingSince: null,
    isPlaylist: false,
    partsMissing: 0,
    ...patch,
  };
}
