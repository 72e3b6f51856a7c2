// What the delete confirmation asks, of one video (the player) or of a selection (the
// grid's selection bar): one place, so both say the same of the trash and the bucket. A
// favorite gets a word of its own: it is the one video a user least wants to lose by a
// stray Delete key.

import type { SelectionSize, VideoSummary } from '../lib/api';
import { formatBytes, plural } from '../lib/format';

export function deleteQuestion(
  video: Pick<VideoSummary, 'key' | 'favorite'>,
  place: 'bucket' | 'folder' = 'bucket',
): { title: string; message: string; confirm: string } {
  const what =
    place === 'folder'
      ? `${video.key} and its preview clips will be moved to the trash, where you can get them back.`
      : `${video.key} and its preview clips will be deleted from the bucket. This cannot be undone.`;
  if (video.favorite) {
    return { title: 'Delete one of your favorites?', message: `This video is one of your favorites. ${what}`, confirm: 'Delete favorite' };
  }
  return { title: 'Delete this video?', message: what, confirm: 'Delete' };
}

/** The one question before a bulk delete: how many videos, how much, and whether they
 * can be got back. `favorites`: every video of the selection is a favorite (it was
 * made under "favorites only"). */
export function deleteSelectionQuestion(
  size: SelectionSize,
  place: 'bucket' | 'folder' = 'bucket',
  favorites = false,
): { title: string; message: string; confirm: string } {
  const videos = plural(size.videos, favorites ? 'favorite' : 'video');
  const [their, them] = size.videos === 1 ? ['its', 'it'] : ['their', 'them'];
  const amount = `${videos} (${formatBytes(size.bytes)}) and ${their} preview clips`;
  const what =
    place === 'folder'
      ? `${amount} will be moved to the trash, where you can get ${them} back.`
      : `${amount} will be deleted from the bucket. This cannot be undone.`;
  return {
    title: `Delete ${videos}?`,
    message: favorites ? `${size.videos === 1 ? 'This video is one of your favorites' : 'All of them are your favorites'}. ${what}` : what,
    confirm: `Delete ${videos}`,
  };
}
