//! HLS videos for the end-to-end tests, made with ffmpeg once per test process: an
//! MPEG-TS one with its segments beside its playlist, an fMP4 one in a folder named after
//! it, a master playlist over two variants, an AES-128 encrypted one, and one whose
//! second segment is left out of the library. Apart from them, a minute-long one, to
//! outlast a short URL lifetime.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// Seconds of each HLS video, in segments of [`SEGMENT_SECONDS`].
pub const SECONDS: u32 = 12;
pub const SEGMENT_SECONDS: u32 = 2;

pub const TS: &str = "dora/dora-2024-08-01_10-00-00.m3u8";
pub const FMP4: &str = "emil/emil-2024-08-02_10-00-00/index.m3u8";
pub const MASTER: &str = "finn/finn-2024-08-03_10-00-00/index.m3u8";
pub const ENCRYPTED: &str = "gus/gus-2024-08-04_10-00-00.m3u8";
pub const INCOMPLETE: &str = "hana/hana-2024-08-05_10-00-00.m3u8";

/// The videos that play to the end, each a playlist key.
pub const PLAYABLE: [&str; 4] = [TS, FMP4, MASTER, ENCRYPTED];

/// Every object of the HLS library: key and bytes.
pub fn hls_objects() -> &'static [(String, Vec<u8>)] {
    static OBJECTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    OBJECTS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp folder");
        let root = dir.path();
        // MPEG-TS beside its playlist, named as ffmpeg names them.
        encode(
            root,
            "dora",
            "dora-2024-08-01_10-00-00",
            "320x180",
            &["-hls_segment_type", "mpegts"],
        );
        // fMP4 in the video's folder, its init section `init.mp4`.
        encode(
            root,
            "emil/emil-2024-08-02_10-00-00",
            "index",
            "320x180",
            &["-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4"],
        );
        // Two variants under a master playlist written by hand (ffmpeg's own places it
        // by rules of its own).
        encode(root, "finn/finn-2024-08-03_10-00-00/v0", "index", "320x180", &[]);
        encode(root, "finn/finn-2024-08-03_10-00-00/v1", "index", "160x90", &[]);
        std::fs::write(
            root.join(MASTER),
            "#EXTM3U\n#EXT-X-VERSION:3\n\
             #EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=320x180\nv0/index.m3u8\n\
             #EXT-X-STREAM-INF:BANDWIDTH=150000,RESOLUTION=160x90\nv1/index.m3u8\n",
        )
        .expect("the master playlist");
        // AES-128: the key beside the playlist, named by a relative URI.
        let gus = root.join("gus");
        std::fs::create_dir_all(&gus).expect("a folder");
        std::fs::write(gus.join("enc.key"), (0u8..16).collect::<Vec<u8>>()).expect("the key");
        let info = root.join("keyinfo");
        std::fs::write(&info, format!("enc.key\n{}\n", gus.join("enc.key").display())).expect("the key info");
        encode(
            root,
            "gus",
            "gus-2024-08-04_10-00-00",
            "320x180",
            &["-hls_key_info_file", &info.display().to_string()],
        );
        std::fs::remove_file(&info).expect("the key info removed");
        // The same as dora's, its second segment left out.
        encode(root, "hana", "hana-2024-08-05_10-00-00", "320x180", &[]);
        std::fs::remove_file(root.join("hana/hana-2024-08-05_10-00-001.ts")).expect("a segment removed");

        let mut objects = Vec::new();
        collect(root, root, &mut objects);
        objects.sort();
        objects
    })
}

/// A minute of MPEG-TS HLS in 2 s segments (small pictures: it is played fast).
pub const LONG: &str = "ivan/ivan-2024-08-07_10-00-00.m3u8";
pub const LONG_SECONDS: u32 = 60;

/// The objects of [`LONG`]: key and bytes.
pub fn long_objects() -> &'static [(String, Vec<u8>)] {
    static OBJECTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    OBJECTS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp folder");
        encode_seconds(
            dir.path(),
            "ivan",
            "ivan-2024-08-07_10-00-00",
            "160x90",
            &[],
            LONG_SECONDS,
        );
        let mut objects = Vec::new();
        collect(dir.path(), dir.path(), &mut objects);
        objects.sort();
        objects
    })
}

/// The MPEG-TS video's content as one MP4 (the same picture, encoding and keyframes), to
/// time HLS against: `dora/dora-2024-08-06_10-00-00.mp4`.
pub const SAME_AS_MP4: &str = "dora/dora-2024-08-06_10-00-00.mp4";

pub fn same_as_mp4() -> &'static [u8] {
    static MP4: OnceLock<Vec<u8>> = OnceLock::new();
    MP4.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp folder");
        test_picture(
            dir.path(),
            "320x180",
            SECONDS,
            &["-movflags", "+faststart", "same.mp4"],
            "the MP4",
        );
        std::fs::read(dir.path().join("same.mp4")).expect("the mp4")
    })
}

/// Runs ffmpeg in `dir` on `seconds` of a moving test picture of `size`, in H.264 with a
/// keyframe every [`SEGMENT_SECONDS`], writing what `output` says (its options and name).
fn test_picture(dir: &Path, size: &str, seconds: u32, output: &[&str], what: &str) {
    let gop = (25 * SEGMENT_SECONDS).to_string();
    let done = Command::new("ffmpeg")
        .current_dir(dir)
        .args(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"])
        .arg("-i")
        .arg(format!("testsrc2=duration={seconds}:size={size}:rate=25"))
        .args(["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"])
        .args(["-g", &gop, "-keyint_min", &gop, "-sc_threshold", "0"])
        .args(output)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("ffmpeg does not run ({e}); install it with apt-get install ffmpeg"));
    assert!(
        done.status.success(),
        "ffmpeg could not make {what}: {}",
        String::from_utf8_lossy(&done.stderr)
    );
}

/// `folder/<name>.m3u8` and its segments, [`SECONDS`] of a moving test picture cut every
/// [`SEGMENT_SECONDS`] (a keyframe at each cut).
fn encode(root: &Path, folder: &str, name: &str, size: &str, extra: &[&str]) {
    encode_seconds(root, folder, name, size, extra, SECONDS);
}

/// [`encode`] for `seconds`.
fn encode_seconds(root: &Path, folder: &str, name: &str, size: &str, extra: &[&str], seconds: u32) {
    let dir = root.join(folder);
    std::fs::create_dir_all(&dir).expect("a folder");
    let segment = SEGMENT_SECONDS.to_string();
    let playlist = format!("{name}.m3u8");
    let mut output = vec!["-f", "hls", "-hls_time", &segment, "-hls_playlist_type", "vod"];
    output.extend_from_slice(extra);
    output.push(&playlist);
    test_picture(&dir, size, seconds, &output, &format!("{folder}/{playlist}"));
}

fn collect(root: &Path, dir: &Path, objects: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).expect("the folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            collect(root, &path, objects);
        } else {
            let key = path.strip_prefix(root).expect("inside").to_string_lossy().into_owned();
            objects.push((key, std::fs::read(&path).expect("the file")));
        }
    }
}
