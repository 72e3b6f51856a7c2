//! What an HLS playlist names, as keys of the same source: the parts of its video.
//!
//! Parsing is m3u8-rs's (the tags and their attributes); resolving what the URIs name is
//! here, because it is this app's rule: a URI is relative to the playlist's own key, and
//! anything that leads out of the source (an absolute URL, a path above its top) is not
//! a part, only noted, since the video cannot be played from the source alone then.

use m3u8_rs::Playlist;
use percent_encoding::percent_decode_str;

/// What one playlist names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    /// The playlists of a master playlist (variants, renditions, I-frame playlists):
    /// parts too, and to be read in turn for their own parts.
    pub playlists: Vec<String>,
    /// Media segments, init sections (`EXT-X-MAP`) and keys (`EXT-X-KEY`).
    pub parts: Vec<String>,
    /// URIs that lead out of the source.
    pub outside: Vec<String>,
}

impl Named {
    fn add(&mut self, base: &str, uri: &str, playlist: bool) {
        match resolve(base, uri) {
            Resolved::Key(key) if playlist => push_once(&mut self.playlists, key),
            Resolved::Key(key) => push_once(&mut self.parts, key),
            Resolved::Outside => push_once(&mut self.outside, uri.to_owned()),
            Resolved::Inline => {}
        }
    }
}

/// Segments of one playlist usually share their key and init section: each is named once.
fn push_once(list: &mut Vec<String>, key: String) {
    if list.last() != Some(&key) && !list.contains(&key) {
        list.push(key);
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{key:?} is not an HLS playlist: {reason}")]
pub struct PlaylistError {
    pub key: String,
    pub reason: String,
}

/// Reads the playlist stored under `key` for what it names.
pub fn read_playlist(key: &str, bytes: &[u8]) -> Result<Named, PlaylistError> {
    let playlist = parse(key, bytes)?;
    let mut named = Named::default();
    match playlist {
        Playlist::MasterPlaylist(master) => {
            for variant in &master.variants {
                named.add(key, &variant.uri, true);
            }
            for rendition in &master.alternatives {
                if let Some(uri) = &rendition.uri {
                    named.add(key, uri, true);
                }
            }
            for session_key in &master.session_key {
                if let Some(uri) = &session_key.0.uri {
                    named.add(key, uri, false);
                }
            }
        }
        Playlist::MediaPlaylist(media) => {
            for segment in &media.segments {
                if let Some(uri) = segment.map.as_ref().map(|m| &m.uri) {
                    named.add(key, uri, false);
                }
                if let Some(uri) = segment.key.as_ref().and_then(|k| k.uri.as_ref()) {
                    named.add(key, uri, false);
                }
                named.add(key, &segment.uri, false);
            }
        }
    }
    Ok(named)
}

fn parse(key: &str, bytes: &[u8]) -> Result<Playlist, PlaylistError> {
    let error = |reason: &str| PlaylistError {
        key: key.to_owned(),
        reason: reason.to_owned(),
    };
    if !bytes.trim_ascii_start().starts_with(b"#EXTM3U") {
        return Err(error("it does not start with #EXTM3U"));
    }
    // The parser's own error holds the rest of the input, not a reason to show.
    m3u8_rs::parse_playlist_res(bytes).map_err(|_| error("its tags cannot be read"))
}

/// Which variant of a master playlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The highest bandwidth: what a player outside the app gets.
    Best,
    /// The lowest: what a poster frame is taken from.
    Smallest,
}

/// Of a master playlist, the key of its `which` variant (I-frame playlists left out).
/// `None` for a media playlist.
pub fn variant(key: &str, bytes: &[u8], which: Variant) -> Result<Option<String>, PlaylistError> {
    let Playlist::MasterPlaylist(master) = parse(key, bytes)? else {
        return Ok(None);
    };
    let streams = master.variants.iter().filter(|v| !v.is_i_frame);
    let chosen = match which {
        Variant::Best => streams.max_by_key(|v| v.bandwidth),
        Variant::Smallest => streams.min_by_key(|v| v.bandwidth),
    };
    Ok(chosen.and_then(|v| match resolve(key, &v.uri) {
        Resolved::Key(variant) => Some(variant),
        _ => None,
    }))
}

/// Of a media playlist, its first segment's key and, for fMP4, its init section's:
/// what a frame of the video is decoded from. `None` for a master playlist or one that
/// names no segment of the source.
pub fn first_media(key: &str, bytes: &[u8]) -> Result<Option<(Option<String>, String)>, PlaylistError> {
    let Playlist::MediaPlaylist(media) = parse(key, bytes)? else {
        return Ok(None);
    };
    let Some(first) = media.segments.first() else {
        return Ok(None);
    };
    let named = |uri: &str| match resolve(key, uri) {
        Resolved::Key(named) => Some(named),
        _ => None,
    };
    // An encrypted segment cannot be decoded by the page from its bytes alone.
    if first.key.as_ref().is_some_and(|k| k.method != m3u8_rs::KeyMethod::None) {
        return Ok(None);
    }
    let init = first.map.as_ref().and_then(|m| named(&m.uri));
    Ok(named(&first.uri).map(|segment| (init, segment)))
}

/// The media playlist stored under `key` with each URI that names a key of the source
/// replaced by `absolute` of it (a presigned URL, a file's path): a playlist that mpv,
/// VLC or ffplay play as it is. URIs out of the source stay as they are.
pub fn with_absolute_uris(
    key: &str,
    bytes: &[u8],
    mut absolute: impl FnMut(&str) -> String,
) -> Result<String, PlaylistError> {
    let Playlist::MediaPlaylist(mut media) = parse(key, bytes)? else {
        return Err(PlaylistError {
            key: key.to_owned(),
            reason: "it is a master playlist; take one of its variants".into(),
        });
    };
    let mut rewrite = |uri: &mut String| {
        if let Resolved::Key(named) = resolve(key, uri) {
            *uri = absolute(&named);
        }
    };
    for segment in &mut media.segments {
        rewrite(&mut segment.uri);
        if let Some(map) = &mut segment.map {
            rewrite(&mut map.uri);
        }
        if let Some(uri) = segment.key.as_mut().and_then(|k| k.uri.as_mut()) {
            rewrite(uri);
        }
    }
    let mut out = Vec::new();
    media.write_to(&mut out).map_err(|e| PlaylistError {
        key: key.to_owned(),
        reason: e.to_string(),
    })?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    Key(String),
    Outside,
    /// A `data:` URI: the bytes are in the playlist itself.
    Inline,
}

/// The key `uri` names, relative to the playlist stored under `base`.
fn resolve(base: &str, uri: &str) -> Resolved {
    let uri = uri.trim();
    if uri.starts_with("data:") {
        return Resolved::Inline;
    }
    if uri.is_empty() || uri.starts_with("//") || uri.contains("://") {
        return Resolved::Outside;
    }
    // Query and fragment are not part of a key (a signed URL's parameters, a byte range).
    let path = uri.split(['?', '#']).next().unwrap_or_default();
    let Ok(path) = percent_decode_str(path).decode_utf8() else {
        return Resolved::Outside;
    };
    let mut parts: Vec<&str> = match base.rsplit_once('/') {
        // A path from the top of the source, or one from the playlist's folder.
        _ if path.starts_with('/') => Vec::new(),
        Some((folder, _)) => folder.split('/').collect(),
        None => Vec::new(),
    };
    for part in path.trim_start_matches('/').split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Resolved::Outside;
                }
            }
            part => parts.push(part),
        }
    }
    if parts.is_empty() || path.ends_with('/') {
        return Resolved::Outside;
    }
    Resolved::Key(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEDIA: &str = "#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:2
#EXT-X-MAP:URI=\"init.mp4\"
#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/k1.key\",IV=0x00000000000000000000000000000001
#EXTINF:2.0,
seg_000.m4s
#EXTINF:2.0,
seg%20001.m4s?X-Amz-Signature=abc
#EXTINF:2.0,
https://cdn.example.com/seg_002.m4s
#EXT-X-ENDLIST
";

    #[test]
    fn a_media_playlist_names_its_segments_init_section_and_key_relative_to_itself() {
        let named = read_playlist("alice/alice-2024-01-01_00-00-00/index.m3u8", MEDIA.as_bytes()).unwrap();
        assert_eq!(
            named.parts,
            [
                "alice/alice-2024-01-01_00-00-00/init.mp4",
                "alice/keys/k1.key",
                "alice/alice-2024-01-01_00-00-00/seg_000.m4s",
                "alice/alice-2024-01-01_00-00-00/seg 001.m4s",
            ]
        );
        assert_eq!(named.outside, ["https://cdn.example.com/seg_002.m4s"]);
        assert!(named.playlists.is_empty());
    }

    #[test]
    fn a_master_playlist_names_its_variants_and_renditions_as_playlists() {
        let master = "#EXTM3U
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"en\",URI=\"audio/en.m3u8\"
#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,AUDIO=\"aud\"
low/index.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720,AUDIO=\"aud\"
/bob/high.m3u8
";
        let named = read_playlist("bob/bob-2024-01-01_00-00-00.m3u8", master.as_bytes()).unwrap();
        assert_eq!(
            named.playlists,
            ["bob/low/index.m3u8", "bob/high.m3u8", "bob/audio/en.m3u8"]
        );
        assert!(named.parts.is_empty() && named.outside.is_empty());
    }

    #[test]
    fn uris_that_leave_the_source_are_not_parts() {
        for uri in ["../../x.ts", "//host/x.ts", "http://h/x.ts", "", "dir/"] {
            assert_eq!(resolve("a/b.m3u8", uri), Resolved::Outside, "{uri:?}");
        }
        assert_eq!(resolve("a/b.m3u8", "data:text/plain;base64,AAAA"), Resolved::Inline);
        assert_eq!(resolve("top.m3u8", "s/./1.ts"), Resolved::Key("s/1.ts".into()));
        assert_eq!(resolve("a/b/c.m3u8", "../1.ts"), Resolved::Key("a/1.ts".into()));
    }

    #[test]
    fn a_playlist_for_players_elsewhere_names_every_part_by_its_absolute_url() {
        let key = "alice/alice-2024-01-01_00-00-00/index.m3u8";
        let written =
            with_absolute_uris(key, MEDIA.as_bytes(), |k| format!("https://signed.example/{k}?sig=1")).unwrap();
        for part in [
            "URI=\"https://signed.example/alice/alice-2024-01-01_00-00-00/init.mp4?sig=1\"",
            "URI=\"https://signed.example/alice/keys/k1.key?sig=1\"",
            "\nhttps://signed.example/alice/alice-2024-01-01_00-00-00/seg_000.m4s?sig=1\n",
            "\nhttps://signed.example/alice/alice-2024-01-01_00-00-00/seg 001.m4s?sig=1\n",
            "\nhttps://cdn.example.com/seg_002.m4s\n",
        ] {
            assert!(written.contains(part), "{part} is not in\n{written}");
        }
        assert_eq!(
            read_playlist(key, written.as_bytes()).unwrap().parts.len(),
            0,
            "nothing relative is left"
        );
        let master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nlow.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2000000\nhigh/index.m3u8\n";
        let pick = |which| variant("b/v.m3u8", master.as_bytes(), which).unwrap();
        assert_eq!(pick(Variant::Best).as_deref(), Some("b/high/index.m3u8"));
        assert_eq!(pick(Variant::Smallest).as_deref(), Some("b/low.m3u8"));
        assert_eq!(variant(key, MEDIA.as_bytes(), Variant::Best).unwrap(), None);
        assert!(with_absolute_uris("b/v.m3u8", master.as_bytes(), |k| k.to_owned()).is_err());
    }

    #[test]
    fn a_frame_comes_from_the_first_segment_with_its_init_section_unless_encrypted() {
        let key = "a/v/index.m3u8";
        let plain =
            "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2,\ns0.m4s\n#EXTINF:2,\ns1.m4s\n";
        assert_eq!(
            first_media(key, plain.as_bytes()).unwrap(),
            Some((Some("a/v/init.mp4".into()), "a/v/s0.m4s".into()))
        );
        assert_eq!(
            first_media(key, MEDIA.as_bytes()).unwrap(),
            None,
            "an AES-128 first segment"
        );
        let ts = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n../t0.ts\n";
        assert_eq!(first_media(key, ts.as_bytes()).unwrap(), Some((None, "a/t0.ts".into())));
    }

    #[test]
    fn a_file_that_is_not_a_playlist_is_a_clear_error() {
        let error = read_playlist("alice/x.m3u8", b"<html>not found</html>").unwrap_err();
        assert_eq!(error.key, "alice/x.m3u8");
        assert!(error.to_string().contains("is not an HLS playlist"), "{error}");
    }
}
