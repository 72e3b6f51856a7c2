//! `sync` against real S3 servers: every layout a real bucket has, no-op re-syncs, user
//! state, and the refusal to empty the library on an empty listing.

use m3u8v_testkit::servers as support;

use std::sync::Arc;

use m3u8v_core::{Catalog, ListingOptions, Source, SyncOptions, SyncReport};
use support::{Kind, Server, count, data_version};

const BUCKET: &str = "library";

/// A bucket with every awkward layout at once.
fn layout() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("alice/alice-2024-02-20_14-30-00.mp4", b"alice video"),
        ("alice/cover.jpg", b"not a video"),
        ("previews/2024-02-20_14-30-00/segment_01.mp4", b"p1"),
        ("previews/2024-02-20_14-30-00/segment_02.mp4", b"p2"),
        ("previews/2024-02-20_14-30-00/segment_10.mp4", b"p10"),
        // Sorts between `previews/` and `previewszz`: the seed's StartAfter trick lost it.
        ("previewsbob/previewsbob-2024-01-01_00-00-00.mp4", b"bob"),
        ("previewszz", b""),
        // A video at the root, with spaces and a preview folder named by its stem.
        ("clip at the root 2023.mp4", b"root"),
        ("previews/clip at the root 2023/segment_1.mp4", b"r1"),
        // Unicode creator, no previews.
        ("ÆØÅ créatrice/ÆØÅ créatrice-2024-03-03_03-03-03.mkv", b"unicode"),
        // Previews without a video.
        ("previews/2020-01-01_00-00-00/segment_01.mp4", b"orphan"),
        ("zed/zed-2024-05-05_05-05-05.webm", b"zed"),
    ]
}

async fn filled(kind: Kind) -> Server {
    let server = Server::start(kind);
    server.create_bucket(BUCKET).await;
    for (key, body) in layout() {
        server.put(BUCKET, key, body).await;
    }
    server
}

async fn run(catalog: &Arc<Catalog>, library: &Source, options: SyncOptions) -> SyncReport {
    support::sync_quiet(catalog, library, options).await.expect("sync")
}

fn keys(catalog: &Catalog) -> Vec<String> {
    let conn = rusqlite::Connection::open(catalog.path()).unwrap();
    let mut stmt = conn.prepare("SELECT key FROM videos ORDER BY key").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

async fn every_layout_is_catalogued(kind: Kind) {
    let server = filled(kind).await;
    let (_dir, catalog) = support::catalog();
    let library = server.source(BUCKET);
    let report = run(&catalog, &library, SyncOptions::default()).await;
    assert_eq!(
        keys(&catalog),
        [
            "alice/alice-2024-02-20_14-30-00.mp4",
            "clip at the root 2023.mp4",
            "previewsbob/previewsbob-2024-01-01_00-00-00.mp4",
            "zed/zed-2024-05-05_05-05-05.webm",
            "ÆØÅ créatrice/ÆØÅ créatrice-2024-03-03_03-03-03.mkv",
        ]
    );
    assert_eq!(
        (report.objects_listed, report.videos_added, report.segments_written),
        (12, 5, 5),
        "{report:?}"
    );
    assert_eq!(
        (
            report.other_objects,
            report.videos_without_previews,
            report.unlinked_preview_folders
        ),
        (2, 3, 1),
        "{report:?}"
    );
    let alice = catalog.video("alice/alice-2024-02-20_14-30-00.mp4").unwrap().unwrap();
    assert_eq!(
        alice.preview_segments,
        [
            "previews/2024-02-20_14-30-00/segment_01.mp4",
            "previews/2024-02-20_14-30-00/segment_02.mp4",
            "previews/2024-02-20_14-30-00/segment_10.mp4"
        ]
    );
    assert_eq!(
        catalog
            .video("clip at the root 2023.mp4")
            .unwrap()
            .unwrap()
            .preview_segments
            .len(),
        1
    );
    assert_eq!(
        catalog
            .video("alice/alice-2024-02-20_14-30-00.mp4")
            .unwrap()
            .unwrap()
            .summary
            .size,
        11
    );

    // The same catalog from one listing per creator folder.
    let (_dir2, by_creator) = support::catalog();
    let options = SyncOptions {
        listing: ListingOptions {
            concurrency: 4,
            by_creator: true,
        },
        ..SyncOptions::default()
    };
    let report2 = run(&by_creator, &library, options).await;
    assert_eq!(keys(&by_creator), keys(&catalog));
    assert_eq!((report2.objects_listed, report2.segments_written), (12, 5));

    // Nothing changed: nothing written.
    let version = data_version(catalog.path());
    let before = version();
    let again = run(&catalog, &library, SyncOptions::default()).await;
    assert_eq!(
        (
            again.videos_added,
            again.videos_updated,
            again.videos_removed,
            again.segments_written
        ),
        (0, 0, 0, 0)
    );
    assert_eq!(version(), before, "a no-op sync wrote to the catalog");

    // A changed object is updated, a vanished one removed, a new one added.
    server
        .put(BUCKET, "zed/zed-2024-05-05_05-05-05.webm", b"zed, re-encoded")
        .await;
    server
        .sdk()
        .delete_object()
        .bucket(BUCKET)
        .key("previewsbob/previewsbob-2024-01-01_00-00-00.mp4")
        .send()
        .await
        .unwrap();
    server.put(BUCKET, "bob/bob-2024-06-06_06-06-06.mp4", b"new").await;
    let changed = run(&catalog, &library, SyncOptions::default()).await;
    assert_eq!(
        (changed.videos_added, changed.videos_updated, changed.videos_removed),
        (1, 1, 1),
        "{changed:?}"
    );
    assert_eq!(
        catalog
            .video("zed/zed-2024-05-05_05-05-05.webm")
            .unwrap()
            .unwrap()
            .summary
            .size,
        15
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_layout_is_catalogued_on_s3s_fs() {
    every_layout_is_catalogued(Kind::S3sFs).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_layout_is_catalogued_on_moto() {
    every_layout_is_catalogued(Kind::Moto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_than_a_thousand_objects_in_one_folder_are_all_listed() {
    let server = Server::start(Kind::Moto);
    server.create_bucket(BUCKET).await;
    let mut keys: Vec<String> = (0..1105)
        .map(|i| format!("big/big-2024-01-01_00-{:02}-{:02}-{i}.mp4", i / 60 % 60, i % 60))
        .collect();
    keys.extend((0..1203).map(|i| format!("previews/big-{i}/segment_{i}.mp4")));
    server.put_all(BUCKET, &keys).await;
    let (_dir, catalog) = support::catalog();
    for by_creator in [false, true] {
        let options = SyncOptions {
            listing: ListingOptions {
                concurrency: 3,
                by_creator,
            },
            ..SyncOptions::default()
        };
        let report = run(&catalog, &server.source(BUCKET), options).await;
        assert_eq!(
            (report.objects_listed, report.videos_listed, report.segments_listed),
            (2308, 1105, 1203),
            "{report:?}"
        );
    }
    assert_eq!(count(catalog.path(), "SELECT count(*) FROM videos"), 1105);
    assert_eq!(count(catalog.path(), "SELECT count(*) FROM preview_segments"), 1203);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_state_survives_a_video_leaving_and_coming_back() {
    let server = filled(Kind::S3sFs).await;
    let (_dir, catalog) = support::catalog();
    let library = server.source(BUCKET);
    run(&catalog, &library, SyncOptions::default()).await;
    let key = "zed/zed-2024-05-05_05-05-05.webm";
    catalog.set_favorite(key, true).unwrap();
    catalog.save_position(key, 42.5, None).unwrap();

    server
        .sdk()
        .delete_object()
        .bucket(BUCKET)
        .key(key)
        .send()
        .await
        .unwrap();
    let gone = run(&catalog, &library, SyncOptions::default()).await;
    assert_eq!(gone.videos_removed, 1);
    assert!(catalog.video(key).unwrap().is_none());

    server.put(BUCKET, key, b"zed is back").await;
    run(&catalog, &library, SyncOptions::default()).await;
    let back = catalog.video(key).unwrap().unwrap().summary;
    assert!(back.favorite);
    assert_eq!(back.position, 42.5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_listing_removes_nothing_without_prune_all() {
    let server = filled(Kind::S3sFs).await;
    let (_dir, catalog) = support::catalog();
    run(&catalog, &server.source(BUCKET), SyncOptions::default()).await;

    // The same server, an empty bucket: what a wrong bucket name or lost permission looks like.
    server.create_bucket("empty").await;
    let empty = server.source("empty");
    let held = run(&catalog, &empty, SyncOptions::default()).await;
    assert_eq!((held.videos_removed, held.removal_held_back), (0, 5), "{held:?}");
    assert!(held.summary().contains("marked missing"), "{}", held.summary());
    let missing = m3u8v_core::Filter {
        missing_only: true,
        ..m3u8v_core::Filter::default()
    };
    assert_eq!(catalog.count(&missing).unwrap(), 5, "kept, and marked missing");
    assert_eq!(count(catalog.path(), "SELECT count(*) FROM videos"), 5);
    assert_eq!(count(catalog.path(), "SELECT count(*) FROM preview_segments"), 5);

    let pruned = run(
        &catalog,
        &empty,
        SyncOptions {
            prune_all: true,
            ..SyncOptions::default()
        },
    )
    .await;
    assert_eq!((pruned.videos_removed, pruned.segments_removed), (5, 5));
    assert_eq!(count(catalog.path(), "SELECT count(*) FROM videos"), 0);
}

/// A first sync of a few thousand objects: videos reach the catalog (and so the grid)
/// page by page while the listing goes on, and browsing answers meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_writes_as_it_lists() {
    let root = tempfile::tempdir().unwrap();
    let videos = 2_500;
    for i in 0..videos {
        let path = root.path().join(BUCKET).join(format!(
            "c{}/c{}-2024-01-01_{:02}-{:02}-{:02}.mp4",
            i % 7,
            i % 7,
            i / 3600,
            (i / 60) % 60,
            i % 60
        ));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"v").unwrap();
    }
    let server = Server::s3s_fs_serving(root);
    let (_dir, catalog) = support::catalog();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (reading, counts) = (catalog.clone(), seen.clone());
    let progress = Arc::new(move |p: &m3u8v_core::SyncProgress| {
        if p.phase == m3u8v_core::SyncPhase::Listing {
            // Called from the writer between batches: a reader answers.
            let n = reading.count(&m3u8v_core::Filter::default()).unwrap();
            counts.lock().unwrap().push(n);
        }
    });
    let report = m3u8v_core::sync(
        &catalog,
        &server.source(BUCKET),
        SyncOptions::default(),
        progress,
        &m3u8v_core::CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(report.videos_added, videos);
    let counts = seen.lock().unwrap().clone();
    assert!(
        counts.iter().any(|n| *n > 0 && *n < videos),
        "no videos were visible before the listing ended: {counts:?}"
    );
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
}
