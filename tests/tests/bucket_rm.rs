//! Deleting one video: its object and its own preview segments go, shared segments and
//! everything else stay, and doing it twice is harmless.

use m3u8v_testkit::servers as support;

use m3u8v_core::{SyncOptions, remove_video};
use support::{Kind, Server, count};

const BUCKET: &str = "library";

async fn run_rm(kind: Kind) {
    let server = Server::start(kind);
    server.create_bucket(BUCKET).await;
    let objects = [
        // Its own stem folder.
        "alice/alice-2024-02-20_14-30-00.mp4",
        "previews/alice-2024-02-20_14-30-00/segment_1.mp4",
        "previews/alice-2024-02-20_14-30-00/segment_2.mp4",
        // Two creators recorded in the same second share a stamp folder.
        "bob/bob-2024-03-03_03-03-03.mp4",
        "carol/carol-2024-03-03_03-03-03.mp4",
        "previews/2024-03-03_03-03-03/segment_1.mp4",
        // A stamp folder of its own.
        "dave/dave-2024-04-04_04-04-04.mp4",
        "previews/2024-04-04_04-04-04/segment_1.mp4",
        "previews/2024-04-04_04-04-04/notes.txt",
        // Neighbours that must not be touched.
        "alice/alice-2024-02-20_14-30-00.mp4.bak",
        "previews/alice-2024-02-20_14-30-001/segment_1.mp4",
    ];
    for key in objects {
        server.put(BUCKET, key, key.as_bytes()).await;
    }
    let (_dir, catalog) = support::catalog();
    let library = server.source(BUCKET);
    support::sync_quiet(&catalog, &library, SyncOptions::default())
        .await
        .unwrap();
    catalog
        .set_favorite("alice/alice-2024-02-20_14-30-00.mp4", true)
        .unwrap();

    let removal = remove_video(&catalog, &library, "alice/alice-2024-02-20_14-30-00.mp4")
        .await
        .unwrap();
    assert!(removal.was_in_catalog);
    assert_eq!(
        removal.preview_segments,
        [
            "previews/alice-2024-02-20_14-30-00/segment_1.mp4",
            "previews/alice-2024-02-20_14-30-00/segment_2.mp4"
        ]
    );
    let mut left: Vec<&str> = objects
        .iter()
        .copied()
        .filter(|k| !k.starts_with("alice/alice-2024-02-20_14-30-00.mp4") || k.ends_with(".bak"))
        .collect();
    left.retain(|k| !k.starts_with("previews/alice-2024-02-20_14-30-00/"));
    left.sort();
    assert_eq!(server.keys(BUCKET).await, left);
    assert!(catalog.video("alice/alice-2024-02-20_14-30-00.mp4").unwrap().is_none());
    assert_eq!(
        count(
            catalog.path(),
            "SELECT count(*) FROM user_state WHERE key = 'alice/alice-2024-02-20_14-30-00.mp4'"
        ),
        0
    );
    assert_eq!(
        count(
            catalog.path(),
            "SELECT count(*) FROM preview_segments WHERE folder = 'alice-2024-02-20_14-30-00'"
        ),
        0
    );

    // Again: nothing left to do, no error.
    let again = remove_video(&catalog, &library, "alice/alice-2024-02-20_14-30-00.mp4")
        .await
        .unwrap();
    assert!(!again.was_in_catalog && again.preview_segments.is_empty());

    // The shared stamp folder stays for carol.
    let bob = remove_video(&catalog, &library, "bob/bob-2024-03-03_03-03-03.mp4")
        .await
        .unwrap();
    assert_eq!((bob.preview_segments.len(), bob.shared_segments_kept), (0, 1));
    assert!(
        server
            .keys(BUCKET)
            .await
            .contains(&"previews/2024-03-03_03-03-03/segment_1.mp4".to_owned())
    );
    assert_eq!(
        catalog
            .video("carol/carol-2024-03-03_03-03-03.mp4")
            .unwrap()
            .unwrap()
            .preview_segments
            .len(),
        1
    );

    // A stamp folder of its own goes, but only its segments.
    let dave = remove_video(&catalog, &library, "dave/dave-2024-04-04_04-04-04.mp4")
        .await
        .unwrap();
    assert_eq!(dave.preview_segments, ["previews/2024-04-04_04-04-04/segment_1.mp4"]);
    assert!(
        server
            .keys(BUCKET)
            .await
            .contains(&"previews/2024-04-04_04-04-04/notes.txt".to_owned())
    );
    assert_eq!(count(catalog.path(), "SELECT count(*) FROM videos"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rm_removes_exactly_one_video_and_its_previews_on_s3s_fs() {
    run_rm(Kind::S3sFs).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rm_removes_exactly_one_video_and_its_previews_on_moto() {
    run_rm(Kind::Moto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rm_of_something_that_is_not_a_video_is_refused() {
    let server = Server::start(Kind::S3sFs);
    server.create_bucket(BUCKET).await;
    let (_dir, catalog) = support::catalog();
    for key in ["alice/cover.jpg", "previews/x/segment_1.mp4"] {
        let err = remove_video(&catalog, &server.source(BUCKET), key).await.unwrap_err();
        assert!(matches!(err, m3u8v_core::RemoveError::NotAVideo(_)), "{err:?}");
    }
}
