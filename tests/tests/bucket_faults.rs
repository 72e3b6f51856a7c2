//! What goes wrong with a bucket: a failing server, a listing cut off, a wrong secret, an
//! unknown bucket, no server at all. Each gives a clear error and removes nothing. And
//! what the app asks about one video that did not play: gone, wrong secret, no server.

use m3u8v_testkit::servers as support;

use m3u8v_core::{BucketError, MediaCheck, Source, SourceError, SourceFailure, SyncError, SyncOptions};
use support::{Fault, FaultProxy, Kind, Server, bucket_at, count, source_at, sync_quiet};

const BUCKET: &str = "library";

async fn filled() -> Server {
    let server = Server::start(Kind::S3sFs);
    server.create_bucket(BUCKET).await;
    for i in 0..30 {
        server
            .put(
                BUCKET,
                &format!("c{}/c{}-2024-01-01_00-00-{i:02}.mp4", i % 3, i % 3),
                b"v",
            )
            .await;
        server
            .put(
                BUCKET,
                &format!("previews/c{}-2024-01-01_00-00-{i:02}/segment_1.mp4", i % 3),
                b"p",
            )
            .await;
    }
    server
}

fn through(proxy: &FaultProxy) -> Source {
    source_at(&proxy.endpoint, BUCKET, support::SECRET_KEY)
}

/// The bucket error a failed sync's listing ended in.
fn listing_error(err: &SyncError) -> &BucketError {
    match err {
        SyncError::Listing {
            source: SourceError {
                failure: SourceFailure::Bucket(e),
                ..
            },
            ..
        } => e,
        other => panic!("not a listing failure: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_failing_for_a_while_is_retried() {
    let server = filled().await;
    let proxy = FaultProxy::start(server.port, Fault::FailFirst(2));
    let (_dir, catalog) = support::catalog();
    let report = sync_quiet(&catalog, &through(&proxy), SyncOptions::default())
        .await
        .expect("retries get through");
    assert_eq!((report.videos_added, report.segments_written), (30, 30));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_keeps_failing_is_a_clear_error_and_removes_nothing() {
    let server = filled().await;
    let (_dir, catalog) = support::catalog();
    support::sync_quiet(&catalog, &server.source(BUCKET), SyncOptions::default())
        .await
        .unwrap();
    let proxy = FaultProxy::start(server.port, Fault::AlwaysFail);
    let err = sync_quiet(
        &catalog,
        &through(&proxy),
        SyncOptions {
            prune_all: true,
            ..SyncOptions::default()
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            listing_error(&err),
            BucketError::ServerFailing { status: 500 | 503, .. }
        ),
        "{err:?}"
    );
    assert!(err.is_transient());
    assert!(listing_error(&err).to_string().contains("after retrying"), "{err}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    // Several attempts per request were made.
    assert!(proxy.requests.load(std::sync::atomic::Ordering::SeqCst) >= 4);
    assert_eq!(count(catalog.path(), "SELECT count(*) FROM videos"), 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_cut_off_mid_way_removes_nothing() {
    let server = filled().await;
    let (_dir, catalog) = support::catalog();
    support::sync_quiet(&catalog, &server.source(BUCKET), SyncOptions::default())
        .await
        .unwrap();
    // Listing answers are cut off half-way after the first page: were a cut page taken
    // for a short but complete listing, prune_all would empty the catalog.
    let proxy = FaultProxy::start(server.port, Fault::CutListingAfter(1));
    let err = sync_quiet(
        &catalog,
        &through(&proxy),
        SyncOptions {
            prune_all: true,
            ..SyncOptions::default()
        },
    )
    .await
    .unwrap_err();
    assert!(err.is_transient(), "{err:?}");
    assert_eq!(count(catalog.path(), "SELECT count(*) FROM videos"), 30);
    assert_eq!(count(catalog.path(), "SELECT count(*) FROM preview_segments"), 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_is_named() {
    let server = filled().await;
    let bucket = bucket_at(&server.endpoint, BUCKET, "not-the-secret");
    let err = bucket.check().await.unwrap_err();
    assert!(matches!(err, BucketError::BadSecret { .. }), "{err:?}");
    assert!(!err.is_transient());
    assert!(!err.to_string().contains("not-the-secret"), "{err}");
    // And a sync with it removes nothing.
    let (_dir, catalog) = support::catalog();
    support::sync_quiet(&catalog, &server.source(BUCKET), SyncOptions::default())
        .await
        .unwrap();
    let wrong = source_at(&server.endpoint, BUCKET, "not-the-secret");
    let err = sync_quiet(&catalog, &wrong, SyncOptions::default()).await.unwrap_err();
    assert!(matches!(listing_error(&err), BucketError::BadSecret { .. }), "{err:?}");
    assert_eq!(count(catalog.path(), "SELECT count(*) FROM videos"), 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_bucket_is_named() {
    for kind in [Kind::S3sFs, Kind::Moto] {
        let server = Server::start(kind);
        let err = server.bucket("no-such-bucket").check().await.unwrap_err();
        assert!(matches!(err, BucketError::NoSuchBucket { .. }), "{kind:?}: {err:?}");
        assert!(err.to_string().contains("no-such-bucket"), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_access_key_is_named() {
    let server = filled().await;
    let mut profile = server.profile(BUCKET);
    profile.access_key_id = "AKIDUNKNOWN".into();
    let bucket = m3u8v_core::Bucket::connect(
        &profile,
        &m3u8v_core::Secret::new(support::SECRET_KEY),
        &support::quick_settings(),
    )
    .unwrap();
    let err = bucket.check().await.unwrap_err();
    assert!(matches!(err, BucketError::UnknownAccessKey { .. }), "{err:?}");
    assert!(err.to_string().contains("AKIDUNKNOWN"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_server_is_unreachable() {
    let port = support::free_port();
    let err = bucket_at(&format!("http://127.0.0.1:{port}"), BUCKET, "x")
        .check()
        .await
        .unwrap_err();
    assert!(matches!(err, BucketError::Unreachable { .. }), "{err:?}");
    assert!(err.to_string().contains("cannot reach"), "{err}");
    assert!(err.is_transient());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_profile_passes_the_check() {
    let server = filled().await;
    server.bucket(BUCKET).check().await.unwrap();
}

/// The player's question about one object: the source answers what a user can act on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_video_that_did_not_play_is_asked_about() {
    let server = filled().await;
    let key = "c0/c0-2024-01-01_00-00-00.mp4";
    assert_eq!(server.source(BUCKET).check_media(key).await, MediaCheck::Available);
    assert_eq!(
        server
            .source(BUCKET)
            .check_media("c0/deleted-behind-our-back.mp4")
            .await,
        MediaCheck::Gone
    );
    match source_at(&server.endpoint, BUCKET, "not-the-secret")
        .check_media(key)
        .await
    {
        MediaCheck::Refused { message } => {
            assert!(message.contains("secret access key is wrong"), "{message}");
            assert!(!message.contains("not-the-secret"), "{message}");
        }
        other => panic!("a wrong secret answered {other:?}"),
    }
    let nobody = format!("http://127.0.0.1:{}", support::free_port());
    match source_at(&nobody, BUCKET, support::SECRET_KEY).check_media(key).await {
        MediaCheck::Unreachable { message } => assert!(message.contains("cannot reach"), "{message}"),
        other => panic!("no server answered {other:?}"),
    }
}
