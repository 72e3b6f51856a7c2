//! Deleting from a library folder: the files go to the OS trash (the `trash` crate: the
//! freedesktop trash, the Windows Recycle Bin, the macOS Trash), where the user can get
//! them back; nothing is ever erased. A folder the delete leaves empty (a video's preview
//! folder, an HLS video's folder of segments and the variant folders in it) is removed,
//! up to the library folder itself: removing a folder only ever succeeds on an empty one.

use std::collections::BTreeSet;

use super::Folder;
use crate::sources::Deleted;

pub(super) fn trash(folder: &Folder, keys: &[String]) -> Deleted {
    let mut done = Deleted::default();
    let mut emptied = BTreeSet::new();
    for key in keys {
        let path = match folder.path_of(key) {
            Ok(path) => path,
            Err(e) => {
                done.failed.push((key.clone(), e.to_string()));
                continue;
            }
        };
        if std::fs::symlink_metadata(&path).is_err() {
            // Already gone: as a bucket delete of a missing key, a success.
            done.deleted.push(key.clone());
            continue;
        }
        match ::trash::delete(&path) {
            Ok(()) => {
                // Every folder between the file and the library folder may be empty now.
                for parent in path.ancestors().skip(1).take_while(|p| *p != folder.root()) {
                    emptied.insert(parent.to_path_buf());
                }
                done.deleted.push(key.clone());
            }
            Err(e) => done
                .failed
                .push((key.clone(), format!("cannot move it to the trash: {e}"))),
        }
    }
    // Deepest first (a folder sorts before the folders inside it), so a folder emptied by
    // removing the ones inside it goes too.
    for dir in emptied.iter().rev() {
        // Fails, harmlessly, when anything is left in it.
        let _ = std::fs::remove_dir(dir);
    }
    done
}
