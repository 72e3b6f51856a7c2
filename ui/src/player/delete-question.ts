// What the delete confirmation asks. A favorite gets a word of its own: it is the one
// video a user least wants to lose by a stray Delete key.

import type { VideoSummary } from '../lib/api';

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
