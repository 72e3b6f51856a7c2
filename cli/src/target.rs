//! Which library a command works on, from the flags: `--library NAME` (one of the list
//! the app keeps), `--folder PATH` (the library of that folder, added to the list the
//! first time), `--db PATH` (that catalog, with the bucket of the environment), else the
//! library the app opens, else the catalog in the data folder with the environment's
//! bucket (headless use with AWS_* variables, and `synth` catalogs).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use m3u8v_core::{Catalog, FolderSettings, Libraries, LibraryEntry, Profile, ProfileOverrides, SourceSettings, paths};

/// The global flags that choose the library.
pub struct Choice {
    pub db: Option<PathBuf>,
    pub library: Option<String>,
    pub folder: Option<PathBuf>,
}

/// The chosen library: its catalog, and where its videos are.
pub struct Target {
    /// For messages.
    pub name: String,
    pub catalog: PathBuf,
    origin: Origin,
}

enum Origin {
    /// A library of the list.
    Entry(LibraryEntry),
    /// A catalog of its own (`--db`, `M3U8V_DB`, or no list yet): the environment's bucket.
    Environment { legacy_profile: Option<PathBuf> },
}

pub fn data_dir() -> Result<PathBuf> {
    paths::data_dir().context("no data folder on this system; set M3U8V_DATA_DIR")
}

pub fn libraries() -> Result<Libraries> {
    Ok(Libraries::load(&data_dir()?)?)
}

impl Choice {
    pub fn resolve(&self) -> Result<Target> {
        if let Some(folder) = &self.folder {
            let entry = folder_library(folder)?;
            return self.of_entry(entry);
        }
        if let Some(name) = &self.library {
            let entry = libraries()?.find(name)?.clone();
            return self.of_entry(entry);
        }
        let explicit = self.db.clone().or_else(|| {
            std::env::var_os("M3U8V_DB")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        if explicit.is_none()
            && let Some(entry) = libraries()?.active().cloned()
        {
            return self.of_entry(entry);
        }
        let catalog = paths::catalog_path(explicit).context("no catalog path: pass --db or set M3U8V_DB")?;
        Ok(Target {
            name: catalog.display().to_string(),
            catalog,
            origin: Origin::Environment {
                legacy_profile: Profile::default_path().ok(),
            },
        })
    }

    fn of_entry(&self, entry: LibraryEntry) -> Result<Target> {
        let catalog = match &self.db {
            Some(db) => db.clone(),
            None => libraries()?.catalog_path(&entry),
        };
        Ok(Target {
            name: entry.name.clone(),
            catalog,
            origin: Origin::Entry(entry),
        })
    }
}

/// The library of `folder`, added to the list (named after the folder) the first time.
fn folder_library(folder: &Path) -> Result<LibraryEntry> {
    let mut libraries = libraries()?;
    if let Some(entry) = libraries.find_folder(folder) {
        return Ok(entry.clone());
    }
    let path = std::fs::canonicalize(folder).with_context(|| format!("cannot open the folder {}", folder.display()))?;
    let base = path
        .file_name()
        .map_or_else(|| "Folder".to_owned(), |n| n.to_string_lossy().into_owned());
    let mut name = base.clone();
    let mut n = 2;
    while libraries.find(&name).is_ok() {
        name = format!("{base} {n}");
        n += 1;
    }
    let entry = libraries.add(&name, SourceSettings::Folder(FolderSettings { path: path.clone() }))?;
    eprintln!(
        "m3u8v: added the library {:?} for the folder {}",
        entry.name,
        path.display()
    );
    Ok(entry)
}

impl Target {
    pub fn open_catalog(&self) -> Result<Catalog> {
        Ok(Catalog::open(&self.catalog)?)
    }

    /// Where the videos are: the library's source, with `overrides` (and the AWS
    /// environment variables) over a bucket's saved settings.
    pub fn source(&self, overrides: &ProfileOverrides) -> Result<SourceSettings> {
        Ok(match &self.origin {
            Origin::Entry(entry) => match &entry.source {
                SourceSettings::Bucket(saved) => SourceSettings::Bucket(Profile::resolve_over(overrides, Some(saved))?),
                folder => folder.clone(),
            },
            Origin::Environment { legacy_profile } => {
                SourceSettings::Bucket(Profile::resolve(overrides, legacy_profile.as_deref())?)
            }
        })
    }

    /// The library of the list this is, if it is one.
    pub fn entry(&self) -> Option<&LibraryEntry> {
        match &self.origin {
            Origin::Entry(entry) => Some(entry),
            Origin::Environment { .. } => None,
        }
    }
}
