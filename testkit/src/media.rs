//! A small real library for the app's end-to-end tests: playable H.264 MP4s made with
//! ffmpeg (once per test process), laid out in an S3 bucket the way the recorder does.
//!
//! Layout (core/src/keys.rs): `creator/creator-YYYY-MM-DD_HH-mm-ss.mp4` for videos and
//! `previews/<folder>/segment_N.mp4` for their preview clips, where `<folder>` is the
//! video's timestamp (the original layout) or its whole file stem. Not
//! `previews/<creator>/...`: the first folder under `previews/` names the video.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::servers::Server;

pub const BUCKET: &str = "library";

/// One video of the fixture library.
#[derive(Debug, Clone, Copy)]
pub struct Video {
    pub key: &'static str,
    pub creator: &'static str,
    /// The folder under `previews/` and how many segments it has; `None`: no previews.
    pub previews: Option<(&'static str, usize)>,
    /// Seconds of the full video (its size grows with it).
    pub seconds: u32,
}

impl Video {
    pub fn preview_keys(&self) -> Vec<String> {
        match self.previews {
            Some((folder, n)) => (1..=n).map(|i| format!("previews/{folder}/segment_{i}.mp4")).collect(),
            None => Vec::new(),
        }
    }

    /// The file name, which the "name" sort orders by.
    pub fn name(&self) -> &'static str {
        self.key.rsplit('/').next().unwrap_or(self.key)
    }
}

/// Six videos of three creators; four with previews (by stamp and by stem), two without.
pub const VIDEOS: [Video; 6] = [
    Video {
        key: "alice/alice-2024-01-02_10-00-00.mp4",
        creator: "alice",
        previews: Some(("2024-01-02_10-00-00", 3)),
        seconds: 6,
    },
    Video {
        key: "alice/alice-2024-02-05_09-15-00.mp4",
        creator: "alice",
        previews: Some(("alice-2024-02-05_09-15-00", 2)),
        seconds: 4,
    },
    Video {
        key: "bob/bob-2024-03-04_11-30-00.mp4",
        creator: "bob",
        previews: Some(("2024-03-04_11-30-00", 3)),
        seconds: 8,
    },
    Video {
        key: "bob/bob-2024-05-06_20-45-10.mp4",
        creator: "bob",
        previews: None,
        seconds: 5,
    },
    Video {
        key: "carol/carol-2023-12-24_18-00-00.mp4",
        creator: "carol",
        previews: Some(("2023-12-24_18-00-00", 2)),
        seconds: 7,
    },
    Video {
        key: "carol/carol-2024-07-08_07-07-07.mp4",
        creator: "carol",
        previews: None,
        seconds: 3,
    },
];

pub fn video(key: &str) -> Video {
    *VIDEOS
        .iter()
        .find(|v| v.key == key)
        .unwrap_or_else(|| panic!("no fixture video {key}"))
}

/// The encoded files: one per video (in [`VIDEOS`] order) and three preview clips that
/// the segments cycle through.
pub struct Media {
    pub videos: Vec<Vec<u8>>,
    pub clips: Vec<Vec<u8>>,
}

/// Encodes the fixtures on first use (about a second) and checks each with ffprobe.
pub fn media() -> &'static Media {
    static MEDIA: OnceLock<Media> = OnceLock::new();
    MEDIA.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp folder");
        let videos = VIDEOS
            .iter()
            .enumerate()
            .map(|(i, v)| {
                // testsrc2 moves every frame, so a playing video visibly changes.
                let source = format!("testsrc2=duration={}:size=320x180:rate=25", v.seconds);
                encode(dir.path(), &format!("video{i}.mp4"), &source, f64::from(v.seconds))
            })
            .collect();
        let clips = [("testsrc", 1.5), ("smptebars", 1.0), ("rgbtestsrc", 2.0)]
            .iter()
            .enumerate()
            .map(|(i, (pattern, seconds))| {
                let source = format!("{pattern}=duration={seconds}:size=320x180:rate=25");
                encode(dir.path(), &format!("clip{i}.mp4"), &source, *seconds)
            })
            .collect();
        Media { videos, clips }
    })
}

/// One H.264 (yuv420p, moov first) MP4 from an ffmpeg test source, checked with ffprobe.
fn encode(dir: &Path, name: &str, source: &str, seconds: f64) -> Vec<u8> {
    let path = dir.join(name);
    let output = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source])
        .args(["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"])
        .args(["-movflags", "+faststart"])
        .arg(&path)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("ffmpeg does not run ({e}); install it with apt-get install ffmpeg"));
    assert!(
        output.status.success(),
        "ffmpeg could not make {name} from {source}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let probe = ffprobe(&path);
    assert_eq!(probe.0, "h264", "{name} is not H.264: {probe:?}");
    assert!(
        (probe.1 - seconds).abs() < 0.5,
        "{name} lasts {} s, not {seconds} s",
        probe.1
    );
    std::fs::read(&path).expect("the encoded file")
}

/// The codec and duration of the first video stream, as ffprobe reads them.
pub fn ffprobe(path: &Path) -> (String, f64) {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0"])
        .args([
            "-show_entries",
            "stream=codec_name,duration",
            "-of",
            "default=noprint_wrappers=1",
        ])
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("ffprobe does not run ({e}); it comes with ffmpeg"));
    assert!(output.status.success(), "ffprobe failed on {}", path.display());
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix('='))
            .unwrap_or_default()
            .to_owned()
    };
    (field("codec_name"), field("duration").parse().unwrap_or(0.0))
}

/// An s3s-fs server whose bucket [`BUCKET`] holds the fixture library, plus the
/// `previewszz` marker object real buckets have.
pub async fn library_server() -> Server {
    // Fail on a missing app, display or keychain before making anything.
    crate::app::preflight();
    let media = media();
    let server = Server::s3s_fs();
    server.create_bucket(BUCKET).await;
    for (i, v) in VIDEOS.iter().enumerate() {
        server.put(BUCKET, v.key, &media.videos[i]).await;
        for (n, key) in v.preview_keys().iter().enumerate() {
            server.put(BUCKET, key, &media.clips[n % media.clips.len()]).await;
        }
    }
    server.put(BUCKET, "previewszz", b"").await;
    server
}
