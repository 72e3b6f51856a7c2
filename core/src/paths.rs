//! Where the catalog lives, decided one way for the app and the CLI.

use std::path::PathBuf;

/// File name of the catalog inside the data folder.
pub const CATALOG_FILE: &str = "catalog.sqlite";

/// The catalog path: `explicit` (a `--db` flag), else `M3U8V_DB`, else `catalog.sqlite`
/// in `M3U8V_DATA_DIR`, else in the platform's data folder
/// (`~/.local/share/m3u8-viewer`, `%APPDATA%\m3u8-viewer\data`, ...).
pub fn catalog_path(explicit: Option<PathBuf>) -> Option<PathBuf> {
    explicit
        .or_else(|| non_empty_env("M3U8V_DB").map(PathBuf::from))
        .or_else(|| data_dir().map(|dir| dir.join(CATALOG_FILE)))
}

/// The folder for the app's own files: `M3U8V_DATA_DIR`, else the platform's.
pub fn data_dir() -> Option<PathBuf> {
    non_empty_env("M3U8V_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| directories::ProjectDirs::from("", "", "m3u8-viewer").map(|dirs| dirs.data_dir().to_path_buf()))
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}
