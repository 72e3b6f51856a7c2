//! Walking a library folder into keys, sizes and modification times (walkdir): what a
//! bucket listing gives, so the same sync plan applies. Size and time tell a change.
//!
//! Left out: hidden entries (`.Trash-1000/`, where a deleted video of a folder on another
//! disk goes, `.DS_Store`, `._x.mp4`), links that lead out of the folder, and names that
//! are not UTF-8 (a key is text). A folder that cannot be read is reported, so the sync
//! keeps what the catalog knows of it rather than taking it for empty.

use std::path::Path;
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

use super::FolderError;
use crate::sources::{Listed, ObjectEntry};

/// Entries per page handed on: what a bucket listing page holds.
const PAGE: usize = 1000;

/// Walks `start` (the library folder `root` or a folder inside it), handing pages of
/// entries keyed from `root` to `page`, which answers whether to go on.
pub(super) fn walk(
    root: &Path,
    start: &Path,
    mut page: impl FnMut(Vec<ObjectEntry>) -> bool,
) -> Result<Listed, FolderError> {
    let mut listed = Listed::default();
    let mut batch = Vec::with_capacity(PAGE);
    let walker = WalkDir::new(start)
        .follow_links(false)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                match e.path() {
                    Some(path) if path != start => match key_of(root, path) {
                        Some(key) => listed.unreadable.push(format!("{key}/")),
                        None => listed.skipped += 1,
                    },
                    // The folder itself cannot be read: no listing at all.
                    _ => {
                        return Err(FolderError::Unreadable {
                            path: start.to_path_buf(),
                            source: e.into_io_error().unwrap_or_else(|| std::io::Error::other("unreadable")),
                        });
                    }
                }
                continue;
            }
        };
        let file_type = entry.file_type();
        let metadata = if file_type.is_file() {
            entry.metadata().ok()
        } else if file_type.is_symlink() {
            // A link to a file inside the folder is that file under this name; a link to
            // a folder inside is walked where it really is; anything else stays out.
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if target.starts_with(root) && target.is_file() => std::fs::metadata(&target).ok(),
                _ => {
                    listed.skipped += 1;
                    continue;
                }
            }
        } else {
            continue;
        };
        let (Some(metadata), Some(key)) = (metadata, key_of(root, entry.path())) else {
            listed.skipped += 1;
            continue;
        };
        let last_modified = metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_millis() as i64);
        batch.push(ObjectEntry {
            key,
            size: metadata.len(),
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
