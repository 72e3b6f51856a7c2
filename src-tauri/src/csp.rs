//! The content security policy of the app's pages, with `media-src` narrowed at run time
//! to the one origin presigned URLs point at. tauri.conf.json holds the policy with
//! `media-src 'self'`; the configured endpoint is only known once a profile is saved, so
//! the header is rewritten on each page load (a reload after saving applies it).

/// `policy` with its `media-src` directive replaced by `'self'`, `blob:` (the bytes a
/// poster frame is decoded from, handed over by the core) and `origin`.
pub fn with_media_origin(policy: &str, origin: Option<&str>) -> String {
    let media = match origin {
        Some(origin) if is_plain_origin(origin) => format!("media-src 'self' blob: {origin}"),
        _ => "media-src 'self' blob:".to_owned(),
    };
    let mut directives: Vec<String> = policy
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty() && !d.starts_with("media-src"))
        .map(str::to_owned)
        .collect();
    directives.push(media);
    directives.join("; ")
}

/// An origin a policy can carry as is: no spaces, quotes or separators that would let a
/// profile field add a directive of its own.
fn is_plain_origin(origin: &str) -> bool {
    (origin.starts_with("http://") || origin.starts_with("https://"))
        && !origin.contains([';', ' ', '\'', '"', ',', '\n', '\r', '*'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_comes_only_from_the_app_and_the_bucket() {
        let policy = "default-src 'self'; media-src 'self' http: https:; img-src 'self'";
        let p = with_media_origin(policy, Some("https://videos.acct.r2.cloudflarestorage.com"));
        assert_eq!(
            p,
            "default-src 'self'; img-src 'self'; media-src 'self' blob: https://videos.acct.r2.cloudflarestorage.com"
        );
        assert_eq!(
            with_media_origin(policy, None),
            "default-src 'self'; img-src 'self'; media-src 'self' blob:"
        );
    }

    #[test]
    fn an_origin_cannot_smuggle_a_directive() {
        let p = with_media_origin("default-src 'self'", Some("http://h; script-src *"));
        assert_eq!(p, "default-src 'self'; media-src 'self' blob:");
    }
}
