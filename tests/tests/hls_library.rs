//! HLS videos in a library, bucket and folder alike: a playlist is a video and what it
//! names are its parts (never videos), its size is theirs, a part the source lacks marks
//! it incomplete, a playlist is read again only when it changed, and deleting the video
//! takes exactly its own parts.

use std::path::PathBuf;
use std::sync::Arc;

use m3u8v_core::{
    CancellationToken, Catalog, ConnectOptions, Filter, FolderSettings, Source, SourceSettings, SyncOptions,
    SyncReport, remove_video,
};
use m3u8v_testkit::servers::{self as support, Server};

const BUCKET: &str = "library";

/// MPEG-TS segments beside their playlist, a key shared with another video.
const ALICE: &str = "alice/alice-2024-01-01_10-00-00.m3u8";
const ALICE_PLAYLIST: &str = "#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:2
#EXT-X-KEY:METHOD=AES-128,URI=\"keys/k.key\"
#EXTINF:2.0,
alice-2024-01-01_10-00-00_000.ts
#EXTINF:2.0,
alice-2024-01-01_10-00-00_001.ts
#EXT-X-ENDLIST
";
/// fMP4 in a folder named after the video: its init section looks like a video.
const BOB: &str = "bob/bob-2024-02-02_10-00-00/index.m3u8";
const BOB_PLAYLIST: &str = "#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:2
#EXT-X-MAP:URI=\"init.mp4\"
#EXTINF:2.0,
seg_000.m4s
#EXTINF:2.0,
seg_001.m4s
#EXT-X-ENDLIST
";
/// A master playlist beside its two variant playlists.
const CAROL: &str = "carol/carol-2024-03-03_10-00-00.m3u8";
const CAROL_MASTER: &str = "#EXTM3U
#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=320x180
carol-2024-03-03_10-00-00_low.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360
carol-2024-03-03_10-00-00_high.m3u8
";
const CAROL_VARIANT: &str = "#EXTM3U
#EXT-X-TARGETDURATION:2
#EXTINF:2.0,
carol-2024-03-03_10-00-00_VARIANT_0.ts
#EXT-X-ENDLIST
";
/// A playlist whose second segment is not in the source, and that uses alice's key.
const DAVE: &str = "dave/dave-2024-04-04_10-00-00.m3u8";
const DAVE_PLAYLIST: &str = "#EXTM3U
#EXT-X-TARGETDURATION:2
#EXT-X-KEY:METHOD=AES-128,URI=\"../alice/keys/k.key\"
#EXTINF:2.0,
dave_0.ts
#EXTINF:2.0,
dave_1.ts
#EXT-X-ENDLIST
";
/// Not a playlist at all.
const ERIN: &str = "erin/erin-2024-05-05_10-00-00.m3u8";
const MP4: &str = "alice/alice-2024-06-06_10-00-00.mp4";

fn carol_variant(level: &str) -> String {
    CAROL_VARIANT.replace("VARIANT", level)
}

/// The library: each object with its bytes.
fn objects() -> Vec<(String, Vec<u8>)> {
    let mut objects: Vec<(String, Vec<u8>)> = vec![
        (ALICE.into(), ALICE_PLAYLIST.into()),
        ("alice/alice-2024-01-01_10-00-00_000.ts".into(), vec![1; 1000]),
        ("alice/alice-2024-01-01_10-00-00_001.ts".into(), vec![2; 1001]),
        ("alice/keys/k.key".into(), vec![3; 16]),
        (BOB.into(), BOB_PLAYLIST.into()),
        ("bob/bob-2024-02-02_10-00-00/init.mp4".into(), vec![4; 700]),
        ("bob/bob-2024-02-02_10-00-00/seg_000.m4s".into(), vec![5; 2000]),
        ("bob/bob-2024-02-02_10-00-00/seg_001.m4s".into(), vec![6; 2001]),
        (CAROL.into(), CAROL_MASTER.into()),
        ("dave/dave_0.ts".into(), vec![7; 500]),
        (DAVE.into(), DAVE_PLAYLIST.into()),
        (ERIN.into(), b"<html>this is not a playlist</html>".to_vec()),
        (MP4.into(), vec![8; 3000]),
    ];
    for level in ["low", "high"] {
        objects.push((
            format!("carol/carol-2024-03-03_10-00-00_{level}.m3u8"),
            carol_variant(level).into(),
        ));
        objects.push((format!("carol/carol-2024-03-03_10-00-00_{level}_0.ts"), vec![9; 800]));
    }
    objects
}

/// A bucket on a real S3 server, or a folder.
enum Place {
    Bucket(Server),
    Folder(tempfile::TempDir),
}

impl Place {
    async fn bucket() -> Place {
        let server = Server::s3s_fs();
        server.create_bucket(BUCKET).await;
        Place::Bucket(server)
    }

    fn folder() -> Place {
        Place::Folder(tempfile::tempdir().unwrap())
    }

    fn root(dir: &tempfile::TempDir) -> PathBuf {
        dir.path().join("library")
    }

    async fn put(&self, key: &str, bytes: &[u8]) {
        match self {
            Place::Bucket(server) => server.put(BUCKET, key, bytes).await,
            Place::Folder(dir) => {
                let path = Place::root(dir).join(key);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, bytes).unwrap();
            }
        }
    }

    fn source(&self) -> Source {
        match self {
            Place::Bucket(server) => server.source(BUCKET),
            Place::Folder(dir) => {
                std::fs::create_dir_all(Place::root(dir)).unwrap();
                let settings = SourceSettings::Folder(FolderSettings { path: Place::root(dir) });
                Source::connect("Test", &settings, None, &ConnectOptions::default()).unwrap()
            }
        }
    }

    /// The keys the source has, in order.
    async fn keys(&self) -> Vec<String> {
        let mut keys = match self {
            Place::Bucket(server) => server.keys(BUCKET).await,
            Place::Folder(dir) => {
                let root = Place::root(dir);
                let mut keys = Vec::new();
                let mut folders = vec![root.clone()];
                while let Some(folder) = folders.pop() {
                    for entry in std::fs::read_dir(folder).unwrap() {
                        let path = entry.unwrap().path();
                        if path.is_dir() {
                            folders.push(path);
                        } else {
                            let key = path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
                            keys.push(key);
                        }
                    }
                }
                keys
            }
        };
        keys.sort();
        keys
    }
}

async fn sync(catalog: &Arc<Catalog>, source: &Source) -> SyncReport {
    m3u8v_core::sync(
        catalog,
        source,
        SyncOptions::default(),
        Arc::new(|_| {}),
        &CancellationToken::new(),
    )
    .await
    .unwrap()
}

fn video(catalog: &Catalog, key: &str) -> m3u8v_core::VideoSummary {
    catalog
        .video(key)
        .unwrap()
        .unwrap_or_else(|| panic!("{key} is not in the catalog"))
        .summary
}

fn size_of(objects: &[(String, Vec<u8>)], keys: &[&str]) -> u64 {
    keys.iter()
        .map(|key| objects.iter().find(|(k, _)| k == key).unwrap().1.len() as u64)
        .sum()
}

async fn hls_library(place: Place) {
    let objects = objects();
    for (key, bytes) in &objects {
        place.put(key, bytes).await;
    }
    let source = place.source();
    let (_dir, catalog) = support::catalog();

    let first = sync(&catalog, &source).await;
    // Carol's variant playlists beside her master look like videos of their own until it
    // is read (so they are read too, this once), as bob's init.mp4 does until his is.
    assert_eq!(first.playlists_read, 7, "{}", first.summary());
    assert_eq!(first.parts_not_videos, 3, "{}", first.summary());
    assert_eq!(
        first.videos_added,
        6,
        "the parts are not counted as new videos: {}",
        first.summary()
    );
    let mut keys: Vec<String> = catalog
        .page(&m3u8v_core::PageRequest {
            filter: Filter::default(),
            sort: Default::default(),
            limit: 60,
            after: None,
        })
        .unwrap()
        .items
        .into_iter()
        .map(|v| v.key)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [ALICE, MP4, BOB, CAROL, DAVE, ERIN],
        "every playlist is a video, no part is"
    );

    let alice = video(&catalog, ALICE);
    assert!(alice.is_playlist && alice.parts_missing == 0);
    assert_eq!(
        alice.size,
        size_of(
            &objects,
            &[
                ALICE,
                "alice/alice-2024-01-01_10-00-00_000.ts",
                "alice/alice-2024-01-01_10-00-00_001.ts",
                "alice/keys/k.key"
            ]
        )
    );
    let bob = video(&catalog, BOB);
    assert_eq!(
        (bob.name.as_str(), bob.recorded_at.is_some()),
        ("bob-2024-02-02_10-00-00", true)
    );
    assert_eq!(
        (bob.size, bob.parts_missing),
        (
            size_of(
                &objects,
                &[
                    BOB,
                    "bob/bob-2024-02-02_10-00-00/init.mp4",
                    "bob/bob-2024-02-02_10-00-00/seg_000.m4s",
                    "bob/bob-2024-02-02_10-00-00/seg_001.m4s"
                ]
            ),
            0
        )
    );
    let carol = video(&catalog, CAROL);
    assert_eq!(carol.parts_missing, 0);
    assert_eq!(
        catalog.own_stream_parts(CAROL).unwrap(),
        [
            "carol/carol-2024-03-03_10-00-00_high.m3u8",
            "carol/carol-2024-03-03_10-00-00_high_0.ts",
            "carol/carol-2024-03-03_10-00-00_low.m3u8",
            "carol/carol-2024-03-03_10-00-00_low_0.ts",
        ],
        "a master playlist's parts are its variants' and theirs"
    );
    assert_eq!(video(&catalog, DAVE).parts_missing, 1, "dave_1.ts is not in the source");
    assert_eq!(video(&catalog, ERIN).parts_missing, 1, "erin's playlist cannot be read");
    assert!(!video(&catalog, MP4).is_playlist);

    // Nothing changed: nothing is read, nothing written.
    let again = sync(&catalog, &source).await;
    assert_eq!(
        (again.playlists_read, again.stream_parts_changed, again.videos_updated),
        (0, 0, 0),
        "{}",
        again.summary()
    );

    // The missing segment arrives: no playlist changed, so none is read; dave is whole.
    place.put("dave/dave_1.ts", &[7; 600]).await;
    let arrived = sync(&catalog, &source).await;
    assert_eq!(
        (arrived.playlists_read, arrived.stream_parts_changed),
        (0, 1),
        "{}",
        arrived.summary()
    );
    let dave = video(&catalog, DAVE);
    assert_eq!(dave.parts_missing, 0);
    assert_eq!(dave.size, DAVE_PLAYLIST.len() as u64 + 500 + 600 + 16);

    // Alice's playlist grows by a segment: only it is read again.
    let longer = ALICE_PLAYLIST.replace(
        "#EXT-X-ENDLIST",
        "#EXTINF:2.0,\nalice-2024-01-01_10-00-00_002.ts\n#EXT-X-ENDLIST",
    );
    place.put("alice/alice-2024-01-01_10-00-00_002.ts", &[1; 999]).await;
    place.put(ALICE, longer.as_bytes()).await;
    let grown = sync(&catalog, &source).await;
    assert_eq!(grown.playlists_read, 1, "{}", grown.summary());
    assert_eq!(
        video(&catalog, ALICE).size,
        longer.len() as u64 + 1000 + 1001 + 999 + 16
    );

    // Deleting alice takes her playlist and segments, and leaves the key dave uses too.
    let before = place.keys().await;
    let removal = remove_video(&catalog, &source, ALICE).await.unwrap();
    assert_eq!(removal.stream_parts_deleted, 3);
    let after = place.keys().await;
    let removed: Vec<&String> = before.iter().filter(|k| !after.contains(k)).collect();
    assert_eq!(
        removed,
        [
            &ALICE.to_owned(),
            &"alice/alice-2024-01-01_10-00-00_000.ts".to_owned(),
            &"alice/alice-2024-01-01_10-00-00_001.ts".to_owned(),
            &"alice/alice-2024-01-01_10-00-00_002.ts".to_owned(),
        ]
    );
    assert!(after.contains(&"alice/keys/k.key".to_owned()), "dave's key stays");
    assert!(catalog.video(ALICE).unwrap().is_none());
    assert_eq!(video(&catalog, DAVE).parts_missing, 0);

    // Deleting bob takes his whole folder's parts, init section included.
    remove_video(&catalog, &source, BOB).await.unwrap();
    let left = place.keys().await;
    assert!(
        !left.iter().any(|k| k.starts_with("bob/")),
        "bob's parts are left: {left:?}"
    );
    if let Place::Folder(dir) = &place {
        // The video's folder and the creator's, both emptied, are gone; alice's is not.
        let root = Place::root(dir);
        assert!(!root.join("bob").exists(), "the folders the delete emptied are left");
        assert!(root.join("alice/keys").is_dir());
    }
    let resynced = sync(&catalog, &source).await;
    assert_eq!(
        resynced.videos_added,
        0,
        "a deleted video's parts are not videos: {}",
        resynced.summary()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_hls_library_in_a_bucket() {
    hls_library(Place::bucket().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_hls_library_in_a_folder() {
    hls_library(Place::folder()).await;
}

/// The end-to-end tests' HLS videos, made by ffmpeg, as the catalog sees them.
#[tokio::test(flavor = "multi_thread")]
async fn the_ffmpeg_made_hls_videos_are_whole_but_one() {
    use m3u8v_testkit::hls;
    let place = Place::bucket().await;
    for (key, bytes) in hls::hls_objects() {
        place.put(key, bytes).await;
    }
    let (_dir, catalog) = support::catalog();
    let report = sync(&catalog, &place.source()).await;
    assert_eq!(report.videos_listed, 5, "{}", report.summary());
    for key in hls::PLAYABLE {
        let video = video(&catalog, key);
        assert!(video.is_playlist && video.parts_missing == 0, "{key}: {video:?}");
    }
    assert_eq!(video(&catalog, hls::INCOMPLETE).parts_missing, 1);
    let parts = catalog.own_stream_parts(hls::ENCRYPTED).unwrap();
    assert!(parts.contains(&"gus/enc.key".to_owned()), "{parts:?}");
    let segments = SECONDS_IN_SEGMENTS;
    assert_eq!(parts.iter().filter(|k| k.ends_with(".ts")).count(), segments);
    let master = catalog.own_stream_parts(hls::MASTER).unwrap();
    assert_eq!(master.iter().filter(|k| k.ends_with(".m3u8")).count(), 2, "{master:?}");
    assert_eq!(
        master.iter().filter(|k| k.ends_with(".ts")).count(),
        2 * segments,
        "{master:?}"
    );
    let fmp4 = catalog.own_stream_parts(hls::FMP4).unwrap();
    assert!(
        fmp4.contains(&"emil/emil-2024-08-02_10-00-00/init.mp4".to_owned()),
        "{fmp4:?}"
    );

    // `m3u8v url --playlist`: what it writes ffprobe plays from the server as it is,
    // encrypted and master playlists included.
    let out = tempfile::tempdir().unwrap();
    for key in hls::PLAYABLE {
        let written = m3u8v_core::playable_playlist(&catalog, &place.source(), key)
            .await
            .unwrap();
        assert!(
            written
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .all(|l| l.starts_with("http://127.0.0.1:")),
            "{key}: a part not named by its URL:\n{written}"
        );
        let file = out.path().join("playable.m3u8");
        std::fs::write(&file, &written).unwrap();
        let seconds = probe_duration(&file);
        assert!(
            (seconds - f64::from(hls::SECONDS)).abs() < 1.0,
            "{key}: ffprobe reads {seconds} s from\n{written}"
        );
    }
}

/// The duration ffprobe reads of a playlist whose parts are http URLs.
fn probe_duration(playlist: &std::path::Path) -> f64 {
    let output = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-protocol_whitelist", "file,http,tcp,crypto,data"])
        .args([
            "-show_entries",
            "format=duration",
            "-of",
            "default=noprint_wrappers=1:nokey=1",
        ])
        .arg(playlist)
        .output()
        .expect("ffprobe runs");
    assert!(
        output.status.success(),
        "ffprobe: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().parse().unwrap_or(0.0)
}

const SECONDS_IN_SEGMENTS: usize = (m3u8v_testkit::hls::SECONDS / m3u8v_testkit::hls::SEGMENT_SECONDS) as usize;
