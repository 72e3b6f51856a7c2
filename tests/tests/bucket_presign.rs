//! Presigned URLs fetched from real servers: whole, by Range (what a browser's video
//! element does), tampered and expired (refused where the server checks signatures).

use m3u8v_testkit::servers as support;

use std::time::Duration;

use m3u8v_core::{Presigner, SyncOptions};
use support::{Kind, Server, http_get};

const BUCKET: &str = "media";

fn video_bytes() -> Vec<u8> {
    (0..1000u32).map(|i| (i % 251) as u8).collect()
}

async fn served(kind: Kind, key: &str) -> Server {
    let server = Server::start(kind);
    server.create_bucket(BUCKET).await;
    server.put(BUCKET, key, &video_bytes()).await;
    server
}

async fn urls_fetch_whole_and_by_range(kind: Kind) {
    let key = "ÆØÅ créatrice/ÆØÅ créatrice-2024-03-03_03-03-03 (1)+x.mp4";
    let server = served(kind, key).await;
    let presigner = Presigner::new(&server.bucket(BUCKET), Duration::from_secs(3600)).unwrap();
    let url = presigner.url(key).unwrap();
    let (status, body) = http_get(&url.url, None);
    assert_eq!((status, body.len()), (200, 1000), "{}", String::from_utf8_lossy(&body));
    assert_eq!(body, video_bytes());
    let (status, body) = http_get(&url.url, Some("bytes=0-99"));
    assert_eq!((status, body.as_slice()), (206, &video_bytes()[..100]));
    let (status, body) = http_get(&url.url, Some("bytes=900-"));
    assert_eq!((status, body.as_slice()), (206, &video_bytes()[900..]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urls_play_on_s3s_fs() {
    urls_fetch_whole_and_by_range(Kind::S3sFs).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urls_play_on_moto() {
    urls_fetch_whole_and_by_range(Kind::Moto).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_url_is_refused() {
    let server = served(Kind::S3sFs, "a/a-2024-01-01_00-00-00.mp4").await;
    server.put(BUCKET, "a/other.mp4", b"other").await;
    let presigner = Presigner::new(&server.bucket(BUCKET), Duration::from_secs(3600)).unwrap();
    let url = presigner.url("a/a-2024-01-01_00-00-00.mp4").unwrap().url;
    assert_eq!(http_get(&url, None).0, 200);
    // Another key under the same signature.
    let (status, _) = http_get(&url.replace("a-2024-01-01_00-00-00.mp4", "other.mp4"), None);
    assert_eq!(status, 403);
    // A changed signature.
    let at = url.find("X-Amz-Signature=").unwrap() + "X-Amz-Signature=".len();
    let mut tampered = url.clone();
    let flipped = if &url[at..at + 1] == "0" { "1" } else { "0" };
    tampered.replace_range(at..at + 1, flipped);
    assert_eq!(http_get(&tampered, None).0, 403);
    // A longer life than signed.
    assert_eq!(
        http_get(&url.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200"), None).0,
        403
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_url_is_refused() {
    let server = served(Kind::S3sFs, "a/a-2024-01-01_00-00-00.mp4").await;
    let presigner = Presigner::new(&server.bucket(BUCKET), Duration::from_secs(1)).unwrap();
    let url = presigner.url("a/a-2024-01-01_00-00-00.mp4").unwrap().url;
    assert_eq!(http_get(&url, None).0, 200);
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(http_get(&url, None).0, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_video_comes_with_its_preview_urls_in_natural_order() {
    let server = served(Kind::S3sFs, "a/a-2024-01-01_00-00-00.mp4").await;
    for n in [10, 2, 1] {
        server
            .put(
                BUCKET,
                &format!("previews/2024-01-01_00-00-00/segment_{n}.mp4"),
                format!("segment {n}").as_bytes(),
            )
            .await;
    }
    let (_dir, catalog) = support::catalog();
    support::sync_quiet(&catalog, &server.source(BUCKET), SyncOptions::default())
        .await
        .unwrap();
    let source = server.source(BUCKET);
    let key = "a/a-2024-01-01_00-00-00.mp4";
    let segments = catalog.video(key).unwrap().unwrap().preview_segments;
    let urls = source.video_urls(key, &segments).unwrap();
    let bodies: Vec<String> = urls
        .preview_segments
        .iter()
        .map(|u| String::from_utf8(http_get(&u.url, None).1).unwrap())
        .collect();
    assert_eq!(bodies, ["segment 1", "segment 2", "segment 10"]);
    // Asked again, the same URLs: the webview's cache keeps working.
    assert_eq!(source.video_urls(key, &segments).unwrap(), urls);
}
