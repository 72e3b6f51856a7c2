//! The bucket as the app reaches it: a client and a URL signer made from the profile and
//! its secret. The secret is read here, in Rust, from the keychain or the environment;
//! it never goes to the webview.

use std::time::Duration;

use m3u8v_core::{Bucket, BucketSettings, Library, Presigner, Profile, Secret, SecretSource};

use crate::error::AppError;

/// How long a presigned URL works: long enough for a long video, paused.
pub const URL_LIFETIME: Duration = Duration::from_secs(3600);

pub struct Connection {
    pub library: Library,
    pub presigner: Presigner,
    pub secret_source: SecretSource,
}

impl Connection {
    /// A connection for `profile`, with `secret` when the user just typed one, else the
    /// stored one. Makes no request; [`Bucket::check`] does.
    pub fn open(profile: &Profile, secret: Option<Secret>) -> Result<Connection, AppError> {
        let (secret, secret_source) = match secret {
            Some(secret) => (secret, SecretSource::Keychain),
            None => profile.secret()?,
        };
        let bucket = Bucket::connect(profile, &secret, &BucketSettings::default())?;
        let presigner = Presigner::new(&bucket, URL_LIFETIME)?;
        Ok(Connection {
            library: Library::Bucket(bucket),
            presigner,
            secret_source,
        })
    }

    pub fn bucket(&self) -> &Bucket {
        match &self.library {
            Library::Bucket(bucket) => bucket,
        }
    }

    /// Where media comes from, for the content security policy.
    pub fn media_origin(&self) -> &str {
        self.presigner.origin()
    }
}
