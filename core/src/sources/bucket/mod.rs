//! An S3-compatible bucket (Cloudflare R2, MinIO, Garage, AWS S3) as a library's source:
//! its settings and secret, the client, listing, deleting, and presigned URLs made
//! locally so a player fetches media straight from the bucket.

mod client;
mod delete;
mod list;
mod presign;
mod settings;

pub use client::{Bucket, BucketError, BucketSettings, Cause};
pub use list::KeyRange;
pub use presign::{DEFAULT_EXPIRY, MAX_EXPIRY, PresignError, Presigner};
pub use settings::{
    DEFAULT_REGION, KEYCHAIN_SERVICE, PROFILE_FILE, Profile, ProfileError, ProfileOverrides, Secret, SecretSource,
};
