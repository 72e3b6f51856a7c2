//! M3U8 Viewer's domain, with no Tauri and no terminal in it:
//!
//! - [`catalog`]: the local SQLite catalog of a library (schema, queries, mutations);
//! - [`sources`]: where the videos live (a bucket, a folder): list, URL, delete;
//! - [`posters`]: the still frame each card shows, made once and kept beside the catalog;
//! - [`library`]: the user's libraries, and what is done to one: sync (a pure plan, then
//!   applied), remove.
//!
//! Data flows one way: source listing -> plan -> catalog -> query -> the app's grid;
//! user actions come back as mutations.

pub mod catalog;
pub mod keys;
pub mod library;
pub mod paths;
pub mod playlist;
pub mod posters;
pub mod sources;
pub mod video;

pub use catalog::changes::ChangeWatch;
pub use catalog::history::SyncRecord;
pub use catalog::ingest::{IngestError, InitialState, NewVideo, Upserted};
pub use catalog::mutate::MutateError;
pub use catalog::predictions::{BadLine, ImportError, ImportReport};
pub use catalog::query::{Direction, Filter, Page, PageRequest, QueryError, Sort, SortKey};
pub use catalog::selection::{Mark, Selection, SelectionError, SelectionSize};
pub use catalog::synth::SynthSpec;
pub use catalog::views::{SavedView, ViewError};
pub use catalog::{Catalog, CatalogError, Tuning};
pub use library::remove::{BulkRemoval, Removal, RemoveError, remove_video, remove_videos};
pub use library::stream::{StreamError, playable_playlist, stream_object};
pub use library::sync::{SyncError, SyncOptions, SyncPhase, SyncProgress, SyncReport, sync};
pub use library::{Libraries, LibraryEntry, LibraryError};
pub use posters::{FrameSourceError, PosterCache, PosterError, PosterStats};
pub use sources::bucket::{
    Bucket, BucketError, BucketSettings, Presigner, Profile, ProfileError, ProfileOverrides, Secret, SecretSource,
};
pub use sources::folder::{Folder, FolderError, MediaServer};
pub use sources::{
    ConnectOptions, Deleted, FolderSettings, ListingOptions, MediaCheck, MediaUrl, ObjectEntry, Source, SourceError,
    SourceFailure, SourceKind, SourceSettings, VideoUrls,
};
pub use video::{CreatorCounts, DateSource, VideoDetail, VideoSummary};

/// Stops a sync between batches.
pub use tokio_util::sync::CancellationToken;
