import { describe, expect, it } from 'vitest';
import { deleteQuestion, deleteSelectionQuestion } from './delete-question';

describe('delete confirmation', () => {
  it('names a favorite as one of the user’s favorites', () => {
    const q = deleteQuestion({ key: 'alice/a.mp4', favorite: true });
    expect(q.title).toBe('Delete one of your favorites?');
    expect(q.message).toMatch(/^This video is one of your favorites\. alice\/a\.mp4 /);
    expect(q.confirm).toBe('Delete favorite');
  });

  it('says nothing of favorites for another video', () => {
    const q = deleteQuestion({ key: 'alice/a.mp4', favorite: false });
    expect(q.title).toBe('Delete this video?');
    expect(q.message).not.toMatch(/favorite/);
    expect(q.message).toContain('cannot be undone');
  });

  it('says a folder library’s video goes to the trash, not away for good', () => {
    const q = deleteQuestion({ key: 'dora/a.mp4', favorite: false }, 'folder');
    expect(q.message).toMatch(/moved to the trash/);
    expect(q.message).not.toMatch(/cannot be undone/);
  });
});

describe('delete confirmation of a selection', () => {
  it('names the count and the total size, and says a bucket delete cannot be undone', () => {
    const q = deleteSelectionQuestion({ videos: 12_000, bytes: 3_400_000_000_000 }, 'bucket');
    expect(q.title).toBe('Delete 12,000 videos?');
    expect(q.message).toBe('12,000 videos (3.4 TB) and their preview clips will be deleted from the bucket. This cannot be undone.');
    expect(q.confirm).toBe('Delete 12,000 videos');
  });

  it('says a folder library’s videos go to the trash', () => {
    const q = deleteSelectionQuestion({ videos: 2, bytes: 1_500_000 }, 'folder');
    expect(q.message).toBe('2 videos (1.5 MB) and their preview clips will be moved to the trash, where you can get them back.');
  });

  it('says so when every video of it is a favorite', () => {
    const q = deleteSelectionQuestion({ videos: 5, bytes: 5_000 }, 'bucket', true);
    expect(q.title).toBe('Delete 5 favorites?');
    expect(q.message).toMatch(/^All of them are your favorites\. 5 favorites \(5\.0 KB\)/);
  });
});
