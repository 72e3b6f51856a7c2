//! Libraries: each a named source (a bucket or a folder) with a catalog file of its own,
//! so favorites, seen state and positions stay with their library; and the list of them
//! the user keeps, `libraries.json` in the data folder. Removing a library removes its
//! catalog and nothing of its bucket or folder.
//!
//! An install from before there were several libraries (a `profile.json` beside a
//! `catalog.sqlite`) opens as one library using those very files: nothing is moved, so
//! nothing can be lost.

pub mod remove;
pub mod stream;
pub mod sync;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::paths::CATALOG_FILE;
use crate::sources::bucket::{PROFILE_FILE, Profile, ProfileError};
use crate::sources::{FolderSettings, SourceSettings};

/// The list of libraries, in the data folder.
pub const LIBRARIES_FILE: &str = "libraries.json";
/// Where the libraries added here keep their catalogs: `libraries/<id>/catalog.sqlite`.
const LIBRARIES_FOLDER: &str = "libraries";
/// The id of the library an older install's files become.
const LEGACY_ID: &str = "default";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LibraryEntry {
    /// Stable, made from the first name: the library's folder and its URLs use it.
    pub id: String,
    pub name: String,
    pub source: SourceSettings,
    /// The catalog file; relative paths are inside the data folder.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub catalog: PathBuf,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LibrariesFile {
    libraries: Vec<LibraryEntry>,
    active: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("cannot read the list of libraries {path}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the list of libraries {path} is damaged")]
    Parse { path: PathBuf, source: serde_json::Error },
    #[error("cannot save the list of libraries {path}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("there is no library {name:?}; the libraries are: {}", if known.is_empty() { "none yet".to_owned() } else { known.join(", ") })]
    NoSuchLibrary { name: String, known: Vec<String> },
    #[error("a library is already called {0:?}")]
    NameTaken(String),
    #[error("a library needs a name")]
    NoName,
    #[error("the folder {path} is already the library {name:?}")]
    FolderTaken { path: PathBuf, name: String },
    #[error("cannot remove the catalog {path}")]
    RemoveCatalog { path: PathBuf, source: std::io::Error },
    #[error("the profile of the older install cannot be read")]
    LegacyProfile(#[from] ProfileError),
}

/// The user's libraries, as saved in the data folder.
#[derive(Debug, Clone)]
pub struct Libraries {
    data_dir: PathBuf,
    file: LibrariesFile,
}

impl Libraries {
    /// The libraries saved in `data_dir`; none when nothing was saved yet, or the one
    /// library of an older install.
    pub fn load(data_dir: &Path) -> Result<Libraries, LibraryError> {
        let path = data_dir.join(LIBRARIES_FILE);
        let file = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| LibraryError::Parse {
                path: path.clone(),
                source,
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => legacy(data_dir)?,
            Err(source) => return Err(LibraryError::Read { path, source }),
        };
        Ok(Libraries {
            data_dir: data_dir.to_path_buf(),
            file,
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn entries(&self) -> &[LibraryEntry] {
        &self.file.libraries
    }

    /// The library the app opens: the one last chosen, else the first.
    pub fn active(&self) -> Option<&LibraryEntry> {
        let chosen = self.file.active.as_deref();
        self.file
            .libraries
            .iter()
            .find(|l| Some(l.id.as_str()) == chosen)
            .or_else(|| self.file.libraries.first())
    }

    /// The library called `name` (or with that id), ignoring case.
    pub fn find(&self, name: &str) -> Result<&LibraryEntry, LibraryError> {
        let wanted = name.trim();
        self.file
            .libraries
            .iter()
            .find(|l| l.id.eq_ignore_ascii_case(wanted) || l.name.eq_ignore_ascii_case(wanted))
            .ok_or_else(|| LibraryError::NoSuchLibrary {
                name: name.to_owned(),
                known: self.file.libraries.iter().map(|l| l.name.clone()).collect(),
            })
    }

    /// The library whose source is the folder `path`, if one is.
    pub fn find_folder(&self, path: &Path) -> Option<&LibraryEntry> {
        let wanted = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.file.libraries.iter().find(|l| match &l.source {
            SourceSettings::Folder(f) => std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone()) == wanted,
            SourceSettings::Bucket(_) => false,
        })
    }

    /// The catalog file of `entry`, absolute.
    pub fn catalog_path(&self, entry: &LibraryEntry) -> PathBuf {
        if entry.catalog.is_absolute() {
            entry.catalog.clone()
        } else {
            self.data_dir.join(&entry.catalog)
        }
    }

    /// The folder of the library's own files (catalog, view, thumbnails).
    pub fn library_folder(&self, entry: &LibraryEntry) -> PathBuf {
        let catalog = self.catalog_path(entry);
        catalog
            .parent()
            .map_or_else(|| self.data_dir.clone(), Path::to_path_buf)
    }

    /// Adds a library and saves the list. The first one added becomes the active one.
    pub fn add(&mut self, name: &str, source: SourceSettings) -> Result<LibraryEntry, LibraryError> {
        let name = self.free_name(name, None)?;
        if let SourceSettings::Folder(FolderSettings { path }) = &source
            && let Some(existing) = self.find_folder(path)
        {
            return Err(LibraryError::FolderTaken {
                path: path.clone(),
                name: existing.name.clone(),
            });
        }
        let id = self.free_id(&name);
        let entry = LibraryEntry {
            catalog: Path::new(LIBRARIES_FOLDER).join(&id).join(CATALOG_FILE),
            id,
            name,
            source,
        };
        self.file.libraries.push(entry.clone());
        if self.file.active.is_none() {
            self.file.active = Some(entry.id.clone());
        }
        self.save()?;
        Ok(entry)
    }

    pub fn rename(&mut self, id: &str, name: &str) -> Result<LibraryEntry, LibraryError> {
        let name = self.free_name(name, Some(id))?;
        let entry = self.entry_mut(id)?;
        entry.name = name;
        let entry = entry.clone();
        self.save()?;
        Ok(entry)
    }

    /// New settings for the source of a library (another endpoint, key or folder).
    pub fn set_source(&mut self, id: &str, source: SourceSettings) -> Result<LibraryEntry, LibraryError> {
        let entry = self.entry_mut(id)?;
        entry.source = source;
        let entry = entry.clone();
        self.save()?;
        Ok(entry)
    }

    pub fn set_active(&mut self, id: &str) -> Result<(), LibraryError> {
        self.entry_mut(id)?;
        self.file.active = Some(id.to_owned());
        self.save()
    }

    /// Removes a library: its catalog file and its own folder go; its bucket or folder
    /// is not touched.
    pub fn remove(&mut self, id: &str) -> Result<LibraryEntry, LibraryError> {
        let entry = self.entry_mut(id)?.clone();
        let catalog = self.catalog_path(&entry);
        let own_folder = self.data_dir.join(LIBRARIES_FOLDER).join(&entry.id);
        if catalog.starts_with(&own_folder) && own_folder.is_dir() {
            std::fs::remove_dir_all(&own_folder).map_err(|source| LibraryError::RemoveCatalog {
                path: own_folder.clone(),
                source,
            })?;
        } else {
            // An older install's catalog, in the data folder itself: only its files, and
            // its poster cache beside it.
            let posters = crate::posters::cache_path_beside(&catalog);
            for (base, suffix) in [&catalog, &posters]
                .into_iter()
                .flat_map(|b| ["", "-wal", "-shm"].map(|s| (b, s)))
            {
                let file = PathBuf::from(format!("{}{suffix}", base.display()));
                match std::fs::remove_file(&file) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(source) => return Err(LibraryError::RemoveCatalog { path: file, source }),
                }
            }
        }
        self.file.libraries.retain(|l| l.id != entry.id);
        if self.file.active.as_deref() == Some(entry.id.as_str()) {
            self.file.active = self.file.libraries.first().map(|l| l.id.clone());
        }
        self.save()?;
        Ok(entry)
    }

    fn entry_mut(&mut self, id: &str) -> Result<&mut LibraryEntry, LibraryError> {
        let known: Vec<String> = self.file.libraries.iter().map(|l| l.name.clone()).collect();
        self.file
            .libraries
            .iter_mut()
            .find(|l| l.id == id)
            .ok_or_else(|| LibraryError::NoSuchLibrary {
                name: id.to_owned(),
                known,
            })
    }

    fn free_name(&self, name: &str, except: Option<&str>) -> Result<String, LibraryError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(LibraryError::NoName);
        }
        let taken = self
            .file
            .libraries
            .iter()
            .any(|l| Some(l.id.as_str()) != except && l.name.eq_ignore_ascii_case(name));
        if taken {
            return Err(LibraryError::NameTaken(name.to_owned()));
        }
        Ok(name.to_owned())
    }

    /// A folder-safe id from the name: lower-case letters, digits and dashes, numbered
    /// when taken.
    fn free_id(&self, name: &str) -> String {
        let mut base: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        base = base.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
        if base.is_empty() || base == LEGACY_ID {
            base = "library".into();
        }
        base.truncate(40);
        let taken = |id: &str| self.file.libraries.iter().any(|l| l.id == id);
        let mut id = base.clone();
        let mut n = 2;
        while taken(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn save(&self) -> Result<(), LibraryError> {
        let path = self.data_dir.join(LIBRARIES_FILE);
        let write_err = |source| LibraryError::Write {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(&self.data_dir).map_err(write_err)?;
        let json = serde_json::to_vec_pretty(&self.file).map_err(|e| write_err(std::io::Error::other(e)))?;
        let temp = path.with_extension("json.tmp");
        std::fs::write(&temp, json).map_err(write_err)?;
        std::fs::rename(&temp, &path).map_err(write_err)
    }
}

/// The libraries of an install that has no list yet: the bucket of its `profile.json`,
/// with the `catalog.sqlite` beside it, or nothing.
fn legacy(data_dir: &Path) -> Result<LibrariesFile, LibraryError> {
    let Some(profile) = Profile::load(&data_dir.join(PROFILE_FILE))? else {
        return Ok(LibrariesFile::default());
    };
    let entry = LibraryEntry {
        id: LEGACY_ID.into(),
        name: profile.bucket.clone(),
        source: SourceSettings::Bucket(profile),
        catalog: PathBuf::from(CATALOG_FILE),
    };
    Ok(LibrariesFile {
        active: Some(entry.id.clone()),
        libraries: vec![entry],
    })
}

#[cfg(test)]
mod tests;
