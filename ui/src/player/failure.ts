// What to tell a user whose video does not play, from what is known: how it failed
// (a media error and its code, no first frame within the time limit, a stall), whether
// the link's expiry time has passed, and what check_media found on the server. Every
// answer names a cause the user can act on; "the format is not supported or the link
// has expired" named two and helped with neither.

import type { MediaCheck } from '../lib/api';

/** `MediaError.code`s (HTML): 1 aborted, 2 network, 3 decode, 4 source not supported.
 * WebKit also reports an HTTP 403 on the source (a refused or expired link) as 4. */
const MEDIA_ERR_NETWORK = 2;
const MEDIA_ERR_DECODE = 3;
const MEDIA_ERR_SRC_NOT_SUPPORTED = 4;

export interface FailureFacts {
  /** `error`: the media element's error event; `timeout`: no first frame in time;
   * `stall`: playback waited for data too long. */
  cause: 'error' | 'timeout' | 'stall';
  /** The media error's code, for `error`. */
  code: number | null;
  /** The link's expiry time has passed. */
  expired: boolean;
  /** The links were renewed for this attempt already (automatically, or by Retry). */
  renewed: boolean;
  /** What check_media found; null when it failed or did not answer in time. */
  check: MediaCheck | null;
  /** Where the library's videos are, as the sentences name it. */
  place?: 'bucket' | 'folder';
}

export type FailureAction = 'retry' | 'settings' | null;

export type Decision =
  /** Forget the cached links and load again, without a word: once, automatically. */
  | { kind: 'renew' }
  | { kind: 'explain'; text: string; action: FailureAction };

const explain = (text: string, action: FailureAction): Decision => ({ kind: 'explain', text, action });

export function decideFailure(f: FailureFacts): Decision {
  const check = f.check;
  const place = f.place ?? 'bucket';
  // What the server said first: when it refuses or has lost the video, a new link
  // cannot help.
  if (check?.state === 'gone') {
    return explain(`This video is no longer in the ${place} (it was deleted or moved outside the app). It will leave the catalog at the next sync.`, null);
  }
  if (check?.state === 'refused') {
    return explain(`The ${place} refused the video: ${check.message}. The secret or its permissions are wrong; check them in Settings.`, 'settings');
  }
  if (check?.state === 'unreachable') {
    return explain(`Cannot reach the server: ${check.message}. Check the network connection, then try again.`, 'retry');
  }
  if (check?.state === 'noAnswer') {
    return explain(`The server does not answer in time: ${check.message}. It may be paused or overloaded; try again in a moment.`, 'retry');
  }

  // An expired link: renew it once without asking. Expired again right after a
  // renewal means the links are made with a wrong time.
  if (f.expired) {
    if (!f.renewed) return { kind: 'renew' };
    return explain('The link to the video expired, and a new one did too. Is this computer’s clock right?', 'retry');
  }

  if (check === null) {
    const what =
      f.cause === 'error' ? 'The video could not be loaded' : 'The video did not load within 15 seconds';
    return explain(`${what}, and asking the server why did not get an answer either. Try again.`, 'retry');
  }

  // The server has the video and reads it.
  if (f.cause === 'error' && f.code === MEDIA_ERR_DECODE) {
    return explain(`This video’s format cannot be played here (the ${place} has it, but this system cannot decode it).`, null);
  }
  if (f.cause === 'error' && f.code === MEDIA_ERR_SRC_NOT_SUPPORTED) {
    // Either a link refused before its time or a format this system cannot play: a
    // fresh link tells them apart.
    if (!f.renewed) return { kind: 'renew' };
    return explain(`This video’s format cannot be played here (the ${place} has it, and a fresh link did not help).`, null);
  }
  if (f.cause === 'error' && f.code === MEDIA_ERR_NETWORK) {
    return explain('The connection broke while loading the video. Try again.', 'retry');
  }
  if (f.cause === 'error') {
    return explain(`The video could not be loaded, though the ${place} has it. Try again.`, 'retry');
  }
  return explain(
    f.cause === 'stall'
      ? `The video stopped loading for 15 seconds, though the ${place} has it: the connection or the server is too slow. Try again.`
      : `The video did not start within 15 seconds, though the ${place} has it: the connection or the server is too slow. Try again.`,
    'retry',
  );
}
