//! The TypeScript of every type that crosses IPC, generated from the Rust types with
//! ts-rs into `ui/src/lib/api/bindings.ts`. The test below fails when that file is stale;
//! `UPDATE_BINDINGS=1 cargo test -p m3u8-viewer bindings` rewrites it.

use m3u8v_core::{
    CreatorCounts, DateSource, Direction, Filter, FolderSettings, Mark, MediaCheck, MediaUrl, Page, PageRequest,
    Profile, Removal, SavedView, SecretSource, Selection, SelectionSize, Sort, SortKey, SourceKind, SourceSettings,
    SyncPhase, SyncProgress, SyncRecord, SyncReport, VideoDetail, VideoSummary, VideoUrls,
};
use ts_rs::{Config, TS};

use crate::commands::selection::{BulkDeleteReport, FailedDelete};
use crate::commands::settings::{ProfileForm, Settings};
use crate::error::{AppError, ErrorKind};
use crate::state::LibraryInfo;

/// Where the generated file lives, from this crate's folder.
pub const BINDINGS_PATH: &str = "../ui/src/lib/api/bindings.ts";

/// The whole file: a header, then one declaration per type, in a fixed order.
pub fn typescript() -> String {
    let config = Config::default();
    let declarations = [
        Filter::decl(&config),
        SortKey::decl(&config),
        Direction::decl(&config),
        Sort::decl(&config),
        PageRequest::decl(&config),
        Page::decl(&config),
        DateSource::decl(&config),
        VideoSummary::decl(&config),
        VideoDetail::decl(&config),
        CreatorCounts::decl(&config),
        MediaUrl::decl(&config),
        VideoUrls::decl(&config),
        MediaCheck::decl(&config),
        Removal::decl(&config),
        Selection::decl(&config),
        Mark::decl(&config),
        SelectionSize::decl(&config),
        FailedDelete::decl(&config),
        BulkDeleteReport::decl(&config),
        SavedView::decl(&config),
        SyncPhase::decl(&config),
        SyncProgress::decl(&config),
        SyncReport::decl(&config),
        SyncRecord::decl(&config),
        Profile::decl(&config),
        FolderSettings::decl(&config),
        SourceKind::decl(&config),
        SourceSettings::decl(&config),
        SecretSource::decl(&config),
        ProfileForm::decl(&config),
        LibraryInfo::decl(&config),
        Settings::decl(&config),
        ErrorKind::decl(&config),
        AppError::decl(&config),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p m3u8-viewer bindings` after changing them.\n",
    );
    for declaration in declarations {
        out.push('\n');
        out.push_str("export ");
        out.push_str(&declaration);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_match_the_rust_types() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH);
        let fresh = typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} is stale: run `UPDATE_BINDINGS=1 cargo test -p m3u8-viewer bindings` and commit it",
            path.display()
        );
    }
}
