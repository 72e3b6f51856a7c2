//! Presigned GET URLs, made locally (SigV4 in query parameters, no request per URL) and
//! reused while they have more than half their life left, so the webview can cache media
//! by URL.
//!
//! Signing goes straight through `aws-sigv4` rather than the SDK's presigning, which runs
//! a whole request pipeline per URL: a page of 60 videos with their previews is a few
//! hundred URLs and must be signed in a few milliseconds.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
    UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use super::client::{Bucket, Cause};
use crate::sources::MediaUrl;

pub const DEFAULT_EXPIRY: Duration = Duration::from_secs(3600);
/// SigV4 refuses presigned URLs valid for more than a week.
pub const MAX_EXPIRY: Duration = Duration::from_secs(7 * 24 * 3600);
/// Past this many cached URLs, those past half their life are dropped.
const CACHE_LIMIT: usize = 20_000;

#[derive(Debug, thiserror::Error)]
pub enum PresignError {
    #[error("a URL must stay valid between 1 second and 7 days, not {0} seconds")]
    Expiry(u64),
    #[error("the profile has no region; R2 needs \"auto\", or presigned URLs come out unsigned")]
    NoRegion,
    #[error("cannot sign a URL for {key:?}")]
    Sign {
        key: String,
        #[source]
        source: Cause,
    },
}

struct Cached {
    url: MediaUrl,
    signed_at: SystemTime,
}

pub struct Presigner {
    /// Everything before the encoded key: `http://host:port/bucket/` or
    /// `https://bucket.host/`.
    base: String,
    region: String,
    identity: Identity,
    expires: Duration,
    cache: Mutex<HashMap<String, Cached>>,
}

impl std::fmt::Debug for Presigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Presigner")
            .field("base", &self.base)
            .field("expires", &self.expires)
            .finish_non_exhaustive()
    }
}

impl Presigner {
    pub fn new(bucket: &Bucket, expires: Duration) -> Result<Presigner, PresignError> {
        if expires < Duration::from_secs(1) || expires > MAX_EXPIRY {
            return Err(PresignError::Expiry(expires.as_secs()));
        }
        let profile = bucket.profile();
        if profile.region.trim().is_empty() {
            return Err(PresignError::NoRegion);
        }
        let (scheme, rest) = profile
            .endpoint
            .split_once("://")
            .unwrap_or(("https", &profile.endpoint));
        let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
        let path = path.trim_matches('/');
        let path = if path.is_empty() {
            String::new()
        } else {
            format!("/{path}")
        };
        let base = if profile.uses_path_style() {
            format!("{scheme}://{authority}{path}/{}/", profile.bucket)
        } else {
            format!("{scheme}://{}.{authority}{path}/", profile.bucket)
        };
        Ok(Presigner {
            base,
            region: profile.region.clone(),
            identity: bucket.credentials().clone().into(),
            expires,
            cache: Mutex::new(HashMap::new()),
        })
    }

    pub fn expires(&self) -> Duration {
        self.expires
    }

    /// `scheme://host[:port]` of every URL this signs: what a player's content security
    /// policy must allow media from, and nothing else.
    pub fn origin(&self) -> &str {
        let after_scheme = self.base.find("://").map_or(0, |i| i + 3);
        let end = self.base[after_scheme..]
            .find('/')
            .map_or(self.base.len(), |i| after_scheme + i);
        &self.base[..end]
    }

    /// A URL for `key`: the cached one while more than half its life remains, else a
    /// new one.
    pub fn url(&self, key: &str) -> Result<MediaUrl, PresignError> {
        self.url_at(key, SystemTime::now())
    }

    pub fn url_at(&self, key: &str, now: SystemTime) -> Result<MediaUrl, PresignError> {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hit) = cache.get(key)
            && now
                .duration_since(hit.signed_at)
                .is_ok_and(|age| age < self.expires / 2)
        {
            return Ok(hit.url.clone());
        }
        let url = self.sign(key, now)?;
        if cache.len() >= CACHE_LIMIT {
            let half = self.expires / 2;
            cache.retain(|_, c| now.duration_since(c.signed_at).is_ok_and(|age| age < half));
        }
        cache.insert(
            key.to_owned(),
            Cached {
                url: url.clone(),
                signed_at: now,
            },
        );
        Ok(url)
    }

    /// Signs without the cache.
    pub fn sign(&self, key: &str, now: SystemTime) -> Result<MediaUrl, PresignError> {
        let sign_err = |source: Cause| PresignError::Sign {
            key: key.to_owned(),
            source,
        };
        let mut url = String::with_capacity(self.base.len() + key.len() * 3 + 400);
        url.push_str(&self.base);
        encode_into(&mut url, key, true);

        let mut settings = SigningSettings::default();
        // S3 signs the path as sent: encoded once, never normalised (`a//b`, `./` are
        // distinct keys).
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.payload_checksum_kind = PayloadChecksumKind::NoHeader;
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(self.expires);
        let params = v4::SigningParams::builder()
            .identity(&self.identity)
            .region(&self.region)
            .name("s3")
            .time(now)
            .settings(settings)
            .build()
            .map_err(|e| sign_err(e.into()))?
            .into();
        let request = SignableRequest::new(
            "GET",
            Cow::Borrowed(url.as_str()),
            std::iter::empty(),
            SignableBody::UnsignedPayload,
        )
        .map_err(|e| sign_err(e.into()))?;
        let (instructions, _signature) = sign(request, &params).map_err(|e| sign_err(e.into()))?.into_parts();
        for (i, (name, value)) in instructions.params().iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            encode_into(&mut url, value, false);
        }
        let expires_at = now.checked_add(self.expires).unwrap_or(now);
        let expires_at = expires_at
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        Ok(MediaUrl {
            key: key.to_owned(),
            url,
            expires_at: Some(expires_at),
        })
    }
}

/// Percent-encodes as SigV4 does: unreserved characters stay, the rest become `%XX`
/// (and `/` stays in a path).
fn encode_into(out: &mut String, text: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::bucket::{BucketSettings, Profile, Secret};

    fn presigner(path_style: bool, region: &str) -> Result<Presigner, PresignError> {
        let profile = Profile {
            endpoint: "https://acct.r2.cloudflarestorage.com".into(),
            bucket: "videos".into(),
            region: region.into(),
            access_key_id: "AKID".into(),
            path_style,
        };
        let bucket = Bucket::connect(&profile, &Secret::new("SECRET"), &BucketSettings::default()).unwrap();
        Presigner::new(&bucket, DEFAULT_EXPIRY)
    }

    #[test]
    fn a_url_has_host_signature_and_encoded_key() {
        let p = presigner(true, "auto").unwrap();
        let u = p.url("ÆØ créatrice/a b+c.mp4").unwrap();
        assert!(
            u.url.starts_with(
                "https://acct.r2.cloudflarestorage.com/videos/%C3%86%C3%98%20cr%C3%A9atrice/a%20b%2Bc.mp4?"
            ),
            "{}",
            u.url
        );
        for part in [
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=AKID%2F",
            "%2Fauto%2Fs3%2Faws4_request",
            "X-Amz-Expires=3600",
            "X-Amz-Signature=",
            "X-Amz-SignedHeaders=host",
        ] {
            assert!(u.url.contains(part), "{part} missing in {}", u.url);
        }
        assert!(!u.url.contains("SECRET"));
        let v = presigner(false, "auto").unwrap().url("a.mp4").unwrap();
        assert!(
            v.url.starts_with("https://videos.acct.r2.cloudflarestorage.com/a.mp4?"),
            "{}",
            v.url
        );
    }

    #[test]
    fn a_missing_region_or_a_bad_expiry_is_refused() {
        assert!(matches!(presigner(true, " "), Err(PresignError::NoRegion)));
        let profile = Profile {
            endpoint: "http://h".into(),
            bucket: "b".into(),
            region: "auto".into(),
            access_key_id: "k".into(),
            path_style: true,
        };
        let bucket = Bucket::connect(&profile, &Secret::new("s"), &BucketSettings::default()).unwrap();
        assert!(matches!(
            Presigner::new(&bucket, Duration::from_secs(8 * 24 * 3600)),
            Err(PresignError::Expiry(_))
        ));
    }

    #[test]
    fn a_url_is_reused_for_half_its_life() {
        let p = presigner(true, "auto").unwrap();
        let t0 = SystemTime::now();
        let first = p.url_at("a.mp4", t0).unwrap();
        assert_eq!(p.url_at("a.mp4", t0 + Duration::from_secs(1799)).unwrap(), first);
        let renewed = p.url_at("a.mp4", t0 + Duration::from_secs(1801)).unwrap();
        assert_ne!(renewed, first);
        assert!(renewed.expires_at > first.expires_at);
    }

    #[test]
    fn the_origin_is_where_every_url_points() {
        let path = presigner(true, "auto").unwrap();
        assert_eq!(path.origin(), "https://acct.r2.cloudflarestorage.com");
        assert!(path.url("a/b.mp4").unwrap().url.starts_with(path.origin()));
        let host = presigner(false, "auto").unwrap();
        assert_eq!(host.origin(), "https://videos.acct.r2.cloudflarestorage.com");
        assert!(
            host.url("a/b.mp4")
                .unwrap()
                .url
                .starts_with(&format!("{}/", host.origin()))
        );
    }
}
