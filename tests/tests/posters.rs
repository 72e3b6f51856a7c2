//! What posters are made from, fetched from a real S3 server and a real folder: the
//! first preview segment, else a small video itself, else nothing; a failure is kept
//! and not fetched again; a changed video asks for a new poster.

use m3u8v_testkit::servers::{Kind, Server, catalog, sync_quiet};

use m3u8v_core::posters::{self, Cached, MAX_FRAME_SOURCE_BYTES, PosterCache, cache_path_beside};
use m3u8v_core::{ConnectOptions, FolderSettings, FrameSourceError, Source, SourceSettings, SyncOptions};

const BUCKET: &str = "media";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 9, 9];

const WITH_PREVIEW: &str = "ann/ann-2024-01-01_10-00-00.mp4";
const SMALL: &str = "ann/ann-2024-02-02_10-00-00.mp4";
const SEGMENT_1: &str = "previews/2024-01-01_10-00-00/segment_1.mp4";
const SEGMENT_2: &str = "previews/2024-01-01_10-00-00/segment_2.mp4";

fn objects() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (WITH_PREVIEW, b"the whole video".to_vec()),
        (SMALL, b"a small video with no preview".to_vec()),
        (SEGMENT_2, b"second segment".to_vec()),
        (SEGMENT_1, b"first segment".to_vec()),
    ]
}

async fn bucket_with_objects() -> Server {
    let server = Server::start(Kind::S3sFs);
    server.create_bucket(BUCKET).await;
    for (key, body) in objects() {
        server.put(BUCKET, key, &body).await;
    }
    server
}

async fn frame_sources_follow_the_rules(source: Source) {
    let (dir, catalog) = catalog();
    sync_quiet(&catalog, &source, SyncOptions::default()).await.unwrap();
    let cache = PosterCache::open(cache_path_beside(&dir.path().join("catalog.sqlite"))).unwrap();

    // The first preview segment in natural order, not the first listed.
    let bytes = posters::frame_source(&catalog, &cache, &source, WITH_PREVIEW)
        .await
        .unwrap();
    assert_eq!(bytes, b"first segment");
    // Never more than asked for.
    assert!(
        source.read(WITH_PREVIEW, 3).await.is_err(),
        "15 bytes read under a limit of 3"
    );
    // No preview: the video itself, small as it is.
    let bytes = posters::frame_source(&catalog, &cache, &source, SMALL).await.unwrap();
    assert_eq!(bytes, b"a small video with no preview");
    // Not in the catalog: a clear, final refusal.
    let err = posters::frame_source(&catalog, &cache, &source, "ann/nope.mp4")
        .await
        .unwrap_err();
    assert!(
        matches!(err, FrameSourceError::NoSuchVideo(_)) && err.is_final(),
        "{err}"
    );

    // A poster kept is what is handed back; a failure is kept and nothing is fetched.
    assert_eq!(posters::kept_poster(&catalog, &cache, WITH_PREVIEW).unwrap(), None);
    posters::keep_poster(&catalog, &cache, WITH_PREVIEW, JPEG).unwrap();
    assert_eq!(
        posters::kept_poster(&catalog, &cache, WITH_PREVIEW).unwrap().as_deref(),
        Some(JPEG)
    );
    posters::poster_failed(&catalog, &cache, SMALL, "the frame would not decode").unwrap();
    let err = posters::frame_source(&catalog, &cache, &source, SMALL)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FrameSourceError::FailedBefore { .. }) && err.is_final(),
        "{err}"
    );
    assert!(err.to_string().contains("would not decode"), "{err}");
    assert!(matches!(
        posters::keep_poster(&catalog, &cache, SMALL, b"GIF89a"),
        Err(FrameSourceError::Posters(_))
    ));
}

/// The segment is deleted behind the catalog's back: a final refusal (not asked again
/// this session), and nothing is stored of it.
async fn a_segment_gone_is_final(source: &Source, remove: impl AsyncFnOnce()) {
    let (dir, catalog) = catalog();
    sync_quiet(&catalog, source, SyncOptions::default()).await.unwrap();
    let cache = PosterCache::open(cache_path_beside(&dir.path().join("catalog.sqlite"))).unwrap();
    remove().await;
    let err = posters::frame_source(&catalog, &cache, source, WITH_PREVIEW)
        .await
        .unwrap_err();
    assert!(err.is_final(), "{err}");
    let video = catalog.video(WITH_PREVIEW).unwrap().unwrap();
    assert_eq!(
        cache.get(WITH_PREVIEW, &posters::version_of_video(&video)).unwrap(),
        Cached::NotMade
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_segment_gone_from_a_bucket_or_a_folder_is_final() {
    let server = bucket_with_objects().await;
    let source = server.source(BUCKET);
    a_segment_gone_is_final(&source, async || {
        server
            .sdk()
            .delete_object()
            .bucket(BUCKET)
            .key(SEGMENT_1)
            .send()
            .await
            .unwrap();
    })
    .await;

    let root = tempfile::tempdir().unwrap();
    write_folder(root.path());
    a_segment_gone_is_final(&folder_source(root.path()), async || {
        std::fs::remove_file(root.path().join(SEGMENT_1)).unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bucket_hands_over_what_posters_are_made_from() {
    let server = bucket_with_objects().await;
    frame_sources_follow_the_rules(server.source(BUCKET)).await;
}

fn folder_source(root: &std::path::Path) -> Source {
    let settings = SourceSettings::Folder(FolderSettings {
        path: root.to_path_buf(),
    });
    Source::connect("home", &settings, None, &ConnectOptions::default()).unwrap()
}

fn write_folder(root: &std::path::Path) {
    for (key, body) in objects() {
        let path = root.join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_hands_over_what_posters_are_made_from() {
    let root = tempfile::tempdir().unwrap();
    write_folder(root.path());
    frame_sources_follow_the_rules(folder_source(root.path())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_video_without_previews_gets_none_and_a_changed_one_a_new_poster() {
    let root = tempfile::tempdir().unwrap();
    write_folder(root.path());
    let large = "bob/bob-2024-03-03_10-00-00.mp4";
    std::fs::create_dir_all(root.path().join("bob")).unwrap();
    let file = std::fs::File::create(root.path().join(large)).unwrap();
    // Sparse: its size is what counts, not bytes written.
    file.set_len(MAX_FRAME_SOURCE_BYTES + 1).unwrap();
    drop(file);
    let source = folder_source(root.path());
    let (dir, catalog) = catalog();
    sync_quiet(&catalog, &source, SyncOptions::default()).await.unwrap();
    let cache = PosterCache::open(cache_path_beside(&dir.path().join("catalog.sqlite"))).unwrap();

    let err = posters::frame_source(&catalog, &cache, &source, large)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FrameSourceError::NothingSmallEnough { .. }) && err.is_final(),
        "{err}"
    );

    // The small video changes on disk: after a sync its poster is not the old one's.
    posters::keep_poster(&catalog, &cache, SMALL, JPEG).unwrap();
    std::fs::write(root.path().join(SMALL), b"a longer small video, changed").unwrap();
    sync_quiet(&catalog, &source, SyncOptions::default()).await.unwrap();
    assert_eq!(posters::kept_poster(&catalog, &cache, SMALL).unwrap(), None);
    let video = catalog.video(SMALL).unwrap().unwrap();
    assert_eq!(
        cache.get(SMALL, &posters::version_of_video(&video)).unwrap(),
        Cached::NotMade
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_never_hands_over_a_file_outside_it() {
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.mp4"), b"not yours").unwrap();
    std::fs::create_dir_all(root.path().join("ann")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.mp4"), root.path().join("ann/link.mp4")).unwrap();
    let source = folder_source(root.path());
    for key in ["../secret.mp4", "ann/../../secret.mp4", "/etc/passwd", "ann/link.mp4"] {
        assert!(source.read(key, 1 << 20).await.is_err(), "{key} was read");
    }
}
