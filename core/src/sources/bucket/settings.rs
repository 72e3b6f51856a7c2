//! The settings of a bucket, a "profile": where the bucket is and which key opens it. The
//! rules of a profile (what is required, the defaults, what an endpoint may be, where the
//! secret comes from) live here once, for the app's form and the CLI's flags alike.
//!
//! The non-secret part is a small JSON file in the data folder. The secret access key
//! lives in the OS keychain (or, headless, in `AWS_SECRET_ACCESS_KEY`) and never in the
//! catalog, that file, a log line, an error message or anything sent to the UI: it is
//! held in [`Secret`], whose `Debug` is redacted and which has no `Display` or
//! `Serialize`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Keychain service name under which secrets are stored, one entry per access key id.
pub const KEYCHAIN_SERVICE: &str = "m3u8-viewer";
/// File name of the saved profile inside the data folder.
pub const PROFILE_FILE: &str = "profile.json";
/// R2 has one region, `auto`; it must still be sent, or presigning yields URLs with no
/// signature and no host.
pub const DEFAULT_REGION: &str = "auto";

/// Everything needed to reach a bucket except the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Profile {
    /// `https://<account>.r2.cloudflarestorage.com`, `http://127.0.0.1:9000`, ...
    pub endpoint: String,
    pub bucket: String,
    #[serde(default = "default_region")]
    pub region: String,
    pub access_key_id: String,
    /// `endpoint/bucket/key` instead of `bucket.endpoint/key`: what most self-hosted
    /// S3 servers need (and what works on R2 too).
    #[serde(default)]
    pub path_style: bool,
}

fn default_region() -> String {
    DEFAULT_REGION.to_owned()
}

impl Profile {
    /// Whether requests and URLs name the bucket in the path. Asked for, or forced by an
    /// endpoint that cannot carry the bucket as a subdomain: an IP address or localhost,
    /// or a bucket name that is not a DNS label (the SDK's own endpoint rules do the same
    /// for requests; presigned URLs must agree with them).
    pub fn uses_path_style(&self) -> bool {
        let host = self
            .endpoint
            .split_once("://")
            .map_or(self.endpoint.as_str(), |(_, rest)| rest);
        let host = host.split(['/', '?', '#']).next().unwrap_or_default();
        let host = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => host.rsplit_once(':').map_or(host, |(name, _port)| name),
        };
        let dns_label = |b: &str| {
            (3..=63).contains(&b.len())
                && b.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                && !b.starts_with('-')
                && !b.ends_with('-')
        };
        self.path_style
            || host.parse::<std::net::IpAddr>().is_ok()
            || host.eq_ignore_ascii_case("localhost")
            || !dns_label(&self.bucket)
    }
}

/// Parts of a profile given on the command line or by the app, each overriding the
/// environment and the saved profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProfileOverrides {
    pub endpoint: Option<String>,
    pub bucket: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub path_style: Option<bool>,
}

/// The secret access key. Its only way out is [`Secret::expose`], used where the
/// request signer needs it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `AWS_SECRET_ACCESS_KEY`, when set: the headless way (and where there is no keychain).
    pub fn from_environment() -> Option<Secret> {
        std::env::var("AWS_SECRET_ACCESS_KEY")
            .ok()
            .filter(|s| !s.is_empty())
            .map(Secret)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Where a secret was found, for `connect --check` to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SecretSource {
    Environment,
    Keychain,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("the bucket settings are incomplete: fill in the {missing}")]
    Incomplete { missing: String },
    #[error("the endpoint {0:?} is not an http:// or https:// URL")]
    BadEndpoint(String),
    #[error("cannot read the profile {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the profile {path} is damaged")]
    Parse { path: PathBuf, source: serde_json::Error },
    #[error("cannot save the profile {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("no data folder on this system; set M3U8V_DATA_DIR")]
    NoDataDir,
    #[error(
        "no secret for access key {access_key_id:?}: AWS_SECRET_ACCESS_KEY is not set and the OS keychain has none ({keychain})"
    )]
    NoSecret { access_key_id: String, keychain: String },
    #[error(
        "this system's keychain cannot keep the secret ({0}); start a keychain service (GNOME Keyring, KWallet), or start the app with the secret in AWS_SECRET_ACCESS_KEY"
    )]
    NoKeychain(String),
}

impl Profile {
    /// The profile saved by `connect`, if there is one.
    pub fn load(path: &Path) -> Result<Option<Profile>, ProfileError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|source| ProfileError::Parse {
                    path: path.to_path_buf(),
                    source,
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(ProfileError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Saves the non-secret part, replacing the file atomically.
    pub fn save(&self, path: &Path) -> Result<(), ProfileError> {
        let write_err = |source| ProfileError::Write {
            path: path.to_path_buf(),
            source,
        };
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(write_err)?;
        }
        let json = serde_json::to_vec_pretty(self).map_err(|e| write_err(std::io::Error::other(e)))?;
        let temp = path.with_extension("json.tmp");
        std::fs::write(&temp, json).map_err(write_err)?;
        std::fs::rename(&temp, path).map_err(write_err)
    }

    /// The default place of the saved profile.
    pub fn default_path() -> Result<PathBuf, ProfileError> {
        crate::paths::data_dir()
            .map(|dir| dir.join(PROFILE_FILE))
            .ok_or(ProfileError::NoDataDir)
    }

    /// The profile to use: `overrides`, else the AWS environment variables
    /// (`AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `M3U8V_BUCKET`), else the
    /// saved profile at `saved`.
    pub fn resolve(overrides: &ProfileOverrides, saved: Option<&Path>) -> Result<Profile, ProfileError> {
        let saved = match saved {
            Some(path) => Profile::load(path)?,
            None => None,
        };
        Self::resolve_over(overrides, saved.as_ref())
    }

    /// The profile to use: `overrides`, else the AWS environment variables, else `saved`.
    pub fn resolve_over(overrides: &ProfileOverrides, saved: Option<&Profile>) -> Result<Profile, ProfileError> {
        Self::merge(overrides, &env_overrides(), saved)
    }

    /// A profile from its parts as a person typed them: trimmed, the region `auto` when
    /// empty, every required part present, an http(s) endpoint.
    pub fn from_parts(
        endpoint: &str,
        bucket: &str,
        region: &str,
        access_key_id: &str,
        path_style: bool,
    ) -> Result<Profile, ProfileError> {
        let part = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        Self::merge(
            &ProfileOverrides {
                endpoint: part(endpoint),
                bucket: part(bucket),
                region: part(region),
                access_key_id: part(access_key_id),
                path_style: Some(path_style),
            },
            &ProfileOverrides::default(),
            None,
        )
    }

    fn merge(
        flags: &ProfileOverrides,
        env: &ProfileOverrides,
        saved: Option<&Profile>,
    ) -> Result<Profile, ProfileError> {
        let pick = |flag: &Option<String>, env: &Option<String>, saved: Option<&String>| {
            flag.clone()
                .or_else(|| env.clone())
                .or_else(|| saved.cloned())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let endpoint = pick(&flags.endpoint, &env.endpoint, saved.map(|p| &p.endpoint));
        let bucket = pick(&flags.bucket, &env.bucket, saved.map(|p| &p.bucket));
        let access_key_id = pick(
            &flags.access_key_id,
            &env.access_key_id,
            saved.map(|p| &p.access_key_id),
        );
        let region = pick(&flags.region, &env.region, saved.map(|p| &p.region)).unwrap_or_else(default_region);
        let path_style = flags
            .path_style
            .or(env.path_style)
            .or(saved.map(|p| p.path_style))
            .unwrap_or(false);
        let missing: Vec<&str> = [
            ("endpoint", &endpoint),
            ("bucket", &bucket),
            ("access key id", &access_key_id),
        ]
        .into_iter()
        .filter(|(_, v)| v.is_none())
        .map(|(name, _)| name)
        .collect();
        if !missing.is_empty() {
            return Err(ProfileError::Incomplete {
                missing: missing.join(", "),
            });
        }
        let profile = Profile {
            endpoint: endpoint.unwrap_or_default().trim_end_matches('/').to_owned(),
            bucket: bucket.unwrap_or_default(),
            region,
            access_key_id: access_key_id.unwrap_or_default(),
            path_style,
        };
        profile.validate()?;
        Ok(profile)
    }

    pub fn validate(&self) -> Result<(), ProfileError> {
        let rest = self
            .endpoint
            .strip_prefix("https://")
            .or_else(|| self.endpoint.strip_prefix("http://"));
        match rest {
            Some(host) if !host.is_empty() && !host.starts_with('/') && !host.contains(['?', '#', ' ']) => Ok(()),
            _ => Err(ProfileError::BadEndpoint(self.endpoint.clone())),
        }
    }

    /// The secret for this profile: `AWS_SECRET_ACCESS_KEY` when set (headless use and
    /// CI, where there may be no keychain daemon at all), else the OS keychain.
    pub fn secret(&self) -> Result<(Secret, SecretSource), ProfileError> {
        if let Some(secret) = environment_secret() {
            return Ok((secret, SecretSource::Environment));
        }
        let entry = keychain_entry(&self.access_key_id).map_err(|keychain| ProfileError::NoSecret {
            access_key_id: self.access_key_id.clone(),
            keychain,
        })?;
        match entry.get_password() {
            Ok(secret) => Ok((Secret(secret), SecretSource::Keychain)),
            Err(e) => Err(ProfileError::NoSecret {
                access_key_id: self.access_key_id.clone(),
                keychain: describe_keychain_error(&e),
            }),
        }
    }

    /// Stores the secret for this profile's access key in the OS keychain.
    pub fn store_secret(&self, secret: &Secret) -> Result<(), ProfileError> {
        let entry = keychain_entry(&self.access_key_id).map_err(ProfileError::NoKeychain)?;
        entry
            .set_password(secret.expose())
            .map_err(|e| ProfileError::NoKeychain(describe_keychain_error(&e)))
    }

    /// The secret to connect with once the settings are saved, and where it will come
    /// from. A secret just typed goes to the keychain. Where there is no keychain (a
    /// Linux desktop without a Secret Service) but `AWS_SECRET_ACCESS_KEY` is set, that
    /// is used, and said to be; with neither, the error says what to do. `None` keeps
    /// what is stored.
    pub fn keep_secret(&self, typed: Option<Secret>) -> Result<(Secret, SecretSource), ProfileError> {
        let Some(typed) = typed else {
            return self.secret();
        };
        match self.store_secret(&typed) {
            Ok(()) => Ok((typed, SecretSource::Keychain)),
            Err(no_keychain) => match environment_secret() {
                Some(secret) => {
                    tracing::warn!(error = %no_keychain, "no keychain; the secret comes from AWS_SECRET_ACCESS_KEY");
                    Ok((secret, SecretSource::Environment))
                }
                None => Err(no_keychain),
            },
        }
    }
}

fn environment_secret() -> Option<Secret> {
    Secret::from_environment()
}

fn keychain_entry(access_key_id: &str) -> Result<keyring::Entry, String> {
    keyring::Entry::new(KEYCHAIN_SERVICE, access_key_id).map_err(|e| describe_keychain_error(&e))
}

/// A keychain failure in words, without the payload some variants carry (the raw
/// bytes of a stored secret that failed to decode must not reach a message).
fn describe_keychain_error(e: &keyring::Error) -> String {
    use keyring::Error as K;
    match e {
        K::NoEntry => "no entry for this access key".into(),
        K::NoDefaultStore => "no keychain service is running on this system".into(),
        K::NoStorageAccess(inner) => format!("the keychain is locked or refused access: {inner}"),
        K::PlatformFailure(inner) => format!("the keychain failed: {inner}"),
        K::BadEncoding(_) | K::BadDataFormat(..) => "the stored secret is unreadable; store it again".into(),
        K::TooLong(..) | K::Invalid(..) | K::BadStoreFormat(_) => e.to_string(), // carry no secret material
        _ => "the keychain failed".into(),
    }
}

fn env_overrides() -> ProfileOverrides {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    ProfileOverrides {
        // AWS_ENDPOINT_URL_S3 is the service-specific form of the same convention.
        endpoint: var("AWS_ENDPOINT_URL_S3").or_else(|| var("AWS_ENDPOINT_URL")),
        bucket: var("M3U8V_BUCKET"),
        region: var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")),
        access_key_id: var("AWS_ACCESS_KEY_ID"),
        path_style: var("M3U8V_PATH_STYLE").map(|v| matches!(v.as_str(), "1" | "true" | "yes")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved() -> Profile {
        Profile {
            endpoint: "https://acct.r2.cloudflarestorage.com".into(),
            bucket: "videos".into(),
            region: "auto".into(),
            access_key_id: "AKIDSAVED".into(),
            path_style: false,
        }
    }

    #[test]
    fn path_style_is_forced_where_a_subdomain_cannot_work() {
        let with = |endpoint: &str, bucket: &str| Profile {
            endpoint: endpoint.into(),
            bucket: bucket.into(),
            ..saved()
        };
        assert!(!with("https://acct.r2.cloudflarestorage.com", "videos").uses_path_style());
        assert!(!with("https://acct.r2.cloudflarestorage.com/", "my-videos-2").uses_path_style());
        assert!(with("http://127.0.0.1:9000", "videos").uses_path_style());
        assert!(with("http://[::1]:9000/", "videos").uses_path_style());
        assert!(with("http://localhost:9000", "videos").uses_path_style());
        assert!(with("https://s3.example.com", "my.videos").uses_path_style());
        assert!(with("https://s3.example.com", "Videos").uses_path_style());
        assert!(
            Profile {
                path_style: true,
                ..saved()
            }
            .uses_path_style()
        );
    }

    #[test]
    fn flags_beat_the_environment_which_beats_the_saved_profile() {
        let env = ProfileOverrides {
            bucket: Some("from-env".into()),
            region: Some("us-east-1".into()),
            ..Default::default()
        };
        let flags = ProfileOverrides {
            region: Some("eu".into()),
            path_style: Some(true),
            ..Default::default()
        };
        let p = Profile::merge(&flags, &env, Some(&saved())).unwrap();
        assert_eq!(
            (p.bucket.as_str(), p.region.as_str(), p.path_style),
            ("from-env", "eu", true)
        );
        assert_eq!(p.access_key_id, "AKIDSAVED");
    }

    #[test]
    fn the_region_defaults_to_auto_and_missing_parts_are_named() {
        let env = ProfileOverrides {
            endpoint: Some("http://127.0.0.1:9000/".into()),
            ..Default::default()
        };
        let err = Profile::merge(&ProfileOverrides::default(), &env, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the bucket settings are incomplete: fill in the bucket, access key id"
        );
        let env = ProfileOverrides {
            bucket: Some("b".into()),
            access_key_id: Some("k".into()),
            ..env
        };
        let p = Profile::merge(&ProfileOverrides::default(), &env, None).unwrap();
        assert_eq!(
            (p.region.as_str(), p.endpoint.as_str()),
            ("auto", "http://127.0.0.1:9000")
        );
    }

    #[test]
    fn a_profile_from_typed_parts_is_trimmed_and_checked() {
        let p = Profile::from_parts(" http://127.0.0.1:9000/ ", " videos ", "", "AKID", false).unwrap();
        assert_eq!(
            (p.endpoint.as_str(), p.bucket.as_str(), p.region.as_str()),
            ("http://127.0.0.1:9000", "videos", "auto")
        );
        let missing = Profile::from_parts("http://h", " ", "auto", "", true).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "the bucket settings are incomplete: fill in the bucket, access key id"
        );
        assert!(matches!(
            Profile::from_parts("ftp://x", "b", "", "k", false),
            Err(ProfileError::BadEndpoint(_))
        ));
    }

    #[test]
    fn a_bad_endpoint_is_refused() {
        let flags = ProfileOverrides {
            endpoint: Some("r2.example.com".into()),
            ..Default::default()
        };
        let err = Profile::merge(&flags, &ProfileOverrides::default(), Some(&saved())).unwrap_err();
        assert!(matches!(err, ProfileError::BadEndpoint(_)), "{err}");
    }

    #[test]
    fn the_saved_file_round_trips_and_has_no_secret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(PROFILE_FILE);
        assert_eq!(Profile::load(&path).unwrap(), None);
        saved().save(&path).unwrap();
        assert_eq!(Profile::load(&path).unwrap(), Some(saved()));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.to_lowercase().contains("secret"), "{text}");
    }

    #[test]
    fn a_secret_never_shows_in_debug() {
        let secret = Secret::new("wJalrXUtnFEMI/K7MDENG");
        assert!(!format!("{secret:?}").contains("wJalr"));
        assert!(!format!("{:?}", (saved(), &secret)).contains("wJalr"));
    }
}
