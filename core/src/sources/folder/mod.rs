//! A folder on this computer laid out like a bucket (`creator/...mp4`,
//! `previews/<folder>/segment_NN.mp4`), as a library's source: walked to list it, its
//! media served to the app's webview over a loopback HTTP server, and deleted videos moved
//! to the OS trash, never erased. Nothing outside the folder is ever listed or served.

mod serve;
mod trash;
mod walk;

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

pub use serve::MediaServer;

use super::{Deleted, Listed, MediaCheck, MediaUrl, ObjectEntry, Pages};

#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error("the folder {path} does not exist (is its disk connected?)")]
    Missing { path: PathBuf },
    #[error("{path} is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("cannot read the folder {path}")]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{key:?} is not a file inside the library folder")]
    OutsideLibrary { key: String },
    #[error("{key:?} is {size} bytes, more than the {limit} read here")]
    TooLarge { key: String, size: u64, limit: u64 },
    #[error("the folder listing stopped: the sync stopped taking pages")]
    Stopped,
}

impl FolderError {
    /// Whether trying again later can help without the user changing anything: a
    /// folder on a disk that is not connected can come back.
    pub fn is_transient(&self) -> bool {
        matches!(self, FolderError::Missing { .. })
    }
}

/// A library folder, its path made absolute and free of links once, at open.
pub struct Folder {
    root: PathBuf,
    server: Option<(Arc<MediaServer>, String)>,
}

impl Folder {
    /// Opens the folder at `path`. With `server` (the app's loopback media server and the
    /// library's id in its URLs), URLs point there; without it, they are file paths.
    pub fn open(path: &Path, server: Option<(Arc<MediaServer>, String)>) -> Result<Folder, FolderError> {
        let root = match std::fs::canonicalize(path) {
            Ok(root) => root,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(FolderError::Missing {
                    path: path.to_path_buf(),
                });
            }
            Err(source) => {
                return Err(FolderError::Unreadable {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        if !root.is_dir() {
            return Err(FolderError::NotAFolder { path: root });
        }
        Ok(Folder { root, server })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder can be read.
    pub fn check(&self) -> Result<(), FolderError> {
        if !self.root.exists() {
            return Err(FolderError::Missing {
                path: self.root.clone(),
            });
        }
        std::fs::read_dir(&self.root)
            .map(drop)
            .map_err(|source| FolderError::Unreadable {
                path: self.root.clone(),
                source,
            })
    }

    pub fn media_origin(&self) -> Option<String> {
        self.server.as_ref().map(|(server, _)| server.origin().to_owned())
    }

    /// The file of `key`, refusing any key that would lead out of the folder.
    pub fn path_of(&self, key: &str) -> Result<PathBuf, FolderError> {
        path_inside(&self.root, key).ok_or_else(|| FolderError::OutsideLibrary { key: key.to_owned() })
    }

    pub fn url(&self, key: &str) -> Result<MediaUrl, FolderError> {
        let path = self.path_of(key)?;
        let url = match &self.server {
            Some((server, library)) => server.url(library, key),
            None => path.display().to_string(),
        };
        Ok(MediaUrl {
            key: key.to_owned(),
            url,
            expires_at: None,
        })
    }

    /// Walks the folder into `pages` (on the blocking pool: it is disk work).
    pub async fn list(&self, pages: &Pages) -> Result<Listed, FolderError> {
        let root = self.root.clone();
        let pages = pages.clone();
        tokio::task::spawn_blocking(move || walk::walk(&root, &root, |page| pages.blocking_send(page).is_ok()))
            .await
            .unwrap_or(Err(FolderError::Stopped))
    }

    /// Every file under the key prefix `prefix` (`previews/alice-2024-01-01_00-00-00/`).
    pub fn list_prefix(&self, prefix: &str) -> Result<Vec<ObjectEntry>, FolderError> {
        let dir = self.path_of(prefix.trim_end_matches('/'))?;
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let mut all = Vec::new();
        walk::walk(&self.root, &dir, |page| {
            all.extend(page);
            true
        })?;
        Ok(all)
    }

    /// Moves the files of `keys` to the OS trash.
    pub fn trash(&self, keys: &[String]) -> Deleted {
        trash::trash(self, keys)
    }

    /// The whole file of `key`, when it is at most `limit` bytes. Links are followed only
    /// to files inside the folder, as the media server does.
    pub async fn read(&self, key: &str, limit: u64) -> Result<Vec<u8>, FolderError> {
        let path = self.path_of(key)?;
        let unreadable = |source| FolderError::Unreadable {
            path: path.clone(),
            source,
        };
        let real = tokio::fs::canonicalize(&path).await.map_err(unreadable)?;
        if !real.starts_with(&self.root) {
            return Err(FolderError::OutsideLibrary { key: key.to_owned() });
        }
        let size = tokio::fs::metadata(&real).await.map_err(unreadable)?.len();
        if size > limit {
            return Err(FolderError::TooLarge {
                key: key.to_owned(),
                size,
                limit,
            });
        }
        tokio::fs::read(&real).await.map_err(unreadable)
    }

    pub fn check_media(&self, key: &str) -> MediaCheck {
        let Ok(path) = self.path_of(key) else {
            return MediaCheck::Refused {
                message: format!("{key:?} is not a file inside the library folder"),
            };
        };
        if !self.root.exists() {
            return MediaCheck::Unreachable {
                message: format!(
                    "the folder {} is not there (is its disk connected?)",
                    self.root.display()
                ),
            };
        }
        match std::fs::File::open(&path) {
            Ok(_) => MediaCheck::Available,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => MediaCheck::Gone,
            Err(e) => MediaCheck::Refused {
                message: format!("cannot read {}: {e}", path.display()),
            },
        }
    }
}

/// `root` joined with the parts of `key`, or `None` when a part could lead elsewhere:
/// empty, `.` or `..`, a drive or root, a backslash or a NUL (a key's separator is `/`).
pub(crate) fn path_inside(root: &Path, key: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for part in key.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains(['\\', '\0']) {
            return None;
        }
        let mut components = Path::new(part).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(name)), None) => path.push(name),
            _ => return None,
        }
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_lead_out_of_the_folder() {
        let root = Path::new("/lib");
        assert_eq!(
            path_inside(root, "alice/a b.mp4"),
            Some(PathBuf::from("/lib/alice/a b.mp4"))
        );
        for key in [
            "",
            "/etc/passwd",
            "../etc/passwd",
            "alice/../../x",
            "alice/./x",
            "alice//x",
            "alice/",
            "a\\..\\x",
            "nul\0byte",
        ] {
            assert_eq!(path_inside(root, key), None, "{key:?}");
        }
        #[cfg(windows)]
        assert_eq!(path_inside(root, "C:/x"), None);
    }
}
