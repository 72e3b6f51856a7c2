//! Walking a library folder into keys, sizes and modification times: what a bucket
//! listing gives, so the same sync plan applies. Size and time tell a change.
//!
//! jwalk rather than walkdir: it reads directories, and here also stats their files, on
//! two threads at once. A library is mostly small directories (a creator's, and one per
//! video under `previews/`) of files whose size and time are needed, and one thread
//! spent more time waiting on `statx` than `find` spends on the whole walk
//! (BENCHMARKS.md, "Folder libraries").
//!
//! Left out: hidden entries (`.Trash-1000/`, where a deleted video of a folder on another
//! disk goes, `.DS_Store`, `._x.mp4`), links that lead out of the folder, and names that
//! are not UTF-8 (a key is text). A folder that cannot be read is reported, so the sync
//! keeps what the catalog knows of it rather than taking it for empty.

use std::fs::Metadata;
use std::path::Path;
use std::time::UNIX_EPOCH;

use jwalk::{Parallelism, WalkDirGeneric};

use super::FolderError;
use crate::sources::{Listed, ObjectEntry};

/// Entries per page handed on: what a bucket listing page holds.
const PAGE: usize = 1000;
/// Threads that read directories and stat files.
const THREADS: usize = 2;

/// Size and modification time (Unix ms) of a file.
type Stat = Option<(u64, i64)>;

fn stat_of(metadata: &Metadata) -> (u64, i64) {
    let last_modified = metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as i64);
    (metadata.len(), last_modified)
}

/// Walks `start` (the library folder `root` or a folder inside it), handing pages of
/// entries keyed from `root` to `page`, which answers whether to go on.
pub(super) fn walk(
    root: &Path,
    start: &Path,
    mut page: impl FnMut(Vec<ObjectEntry>) -> bool,
) -> Result<Listed, FolderError> {
    if let Err(source) = std::fs::read_dir(start) {
        return Err(FolderError::Unreadable {
            path: start.to_path_buf(),
            source,
        });
    }
    let mut listed = Listed::default();
    let mut batch = Vec::with_capacity(PAGE);
    let walker = WalkDirGeneric::<((), Stat)>::new(start)
        .skip_hidden(true)
        .follow_links(false)
        .min_depth(1)
        .parallelism(Parallelism::RayonNewPool(THREADS))
        .process_read_dir(|_, _, _, children| {
            // Stat each file here, on the thread that read its directory.
            for child in children.iter_mut().flatten() {
                if child.file_type.is_file() {
                    child.client_state = child.metadata().ok().map(|m| stat_of(&m));
                }
            }
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                match e.path().and_then(|path| key_of(root, path)) {
                    Some(key) => listed.unreadable.push(format!("{key}/")),
                    None => listed.skipped += 1,
                }
                continue;
            }
        };
        let path = entry.path();
        let stat = if entry.file_type.is_file() {
            entry.client_state
        } else if entry.file_type.is_symlink() {
            // A link to a file inside the folder is that file under this name; a link to
            // a folder inside is walked where it really is; anything else stays out.
            match std::fs::canonicalize(&path) {
                Ok(target) if target.starts_with(root) && target.is_file() => {
                    std::fs::metadata(&target).ok().map(|m| stat_of(&m))
                }
                _ => {
                    listed.skipped += 1;
                    continue;
                }
            }
        } else {
            continue;
        };
        let (Some((size, last_modified)), Some(key)) = (stat, key_of(root, &path)) else {
            listed.skipped += 1;
            continue;
        };
        batch.push(ObjectEntry {
            key,
            size,
            last_modified,
            etag: None,
        });
        if batch.len() == PAGE {
            listed.objects += batch.len() as u64;
            if !page(std::mem::replace(&mut batch, Vec::with_capacity(PAGE))) {
                return Err(FolderError::Stopped);
            }
        }
    }
    listed.objects += batch.len() as u64;
    if !batch.is_empty() && !page(batch) {
        return Err(FolderError::Stopped);
    }
    Ok(listed)
}

/// The key of `path` inside `root`: its parts joined by `/`; `None` for a name that is
/// not UTF-8.
fn key_of(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let mut key = String::new();
    for part in relative.components() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str(part.as_os_str().to_str()?);
    }
    (!key.is_empty()).then_some(key)
}
