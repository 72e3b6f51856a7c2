//! M3U8 Viewer's domain, with no Tauri in it: the catalog of the bucket and the queries
//! the grid runs on, key parsing, and (next) sync, storage and presigning.
//!
//! Data flows one way: bucket listing -> sync -> catalog -> query -> the app's grid;
//! user actions come back as mutations.

pub mod catalog;
pub mod ingest;
pub mod keys;
pub mod listing;
pub mod mutate;
pub mod paths;
pub mod predictions;
pub mod presign;
pub mod profile;
pub mod query;
pub mod remove;
pub mod storage;
pub mod sync;
pub mod synth;
pub mod video;

pub use catalog::{Catalog, CatalogError, Tuning};
pub use ingest::{IngestError, InitialState, NewVideo, Upserted};
pub use listing::{Library, ListingOptions};
pub use mutate::MutateError;
pub use predictions::{BadLine, ImportError, ImportReport};
pub use presign::{PresignError, PresignedUrl, Presigner, VideoUrls};
pub use profile::{Profile, ProfileError, ProfileOverrides, Secret, SecretSource};
pub use query::{Direction, Filter, Page, PageRequest, QueryError, Sort, SortKey};
pub use remove::{Removal, RemoveError, remove_video};
pub use storage::{Bucket, BucketSettings, ObjectEntry, StorageError};
pub use sync::{SyncError, SyncOptions, SyncPhase, SyncProgress, SyncReport, sync};
pub use synth::SynthSpec;
pub use video::{CreatorCounts, VideoDetail, VideoSummary};
