import { describe, expect, it } from 'vitest';
import { deleteQuestion } from './delete-question';

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
