//! The media server over real sockets, with requests written byte for byte: an HTTP
//! client would tidy away the `..`, the odd Host and the encodings these tests send.

use std::io::{Read, Write};
use std::net::TcpStream;

use super::*;
use crate::catalog::ingest::NewVideo;

const VIDEO: &str = "alice/alice-2024-01-01_00-00-00.mp4";
const SEGMENT: &str = "previews/alice-2024-01-01_00-00-00/segment_01.mp4";

struct Fixture {
    _dir: tempfile::TempDir,
    server: MediaServer,
    data: Vec<u8>,
    port: u16,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("library");
    let data: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
    for key in [VIDEO, SEGMENT, "secret.txt"] {
        let path = root.join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &data).unwrap();
    }
    std::fs::write(dir.path().join("outside.mp4"), b"outside the library").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("outside.mp4"), root.join("alice/link-out.mp4")).unwrap();

    let catalog = Arc::new(Catalog::open(dir.path().join("catalog.sqlite")).unwrap());
    let videos: Vec<NewVideo> = [VIDEO, "alice/link-out.mp4"]
        .iter()
        .map(|key| NewVideo {
            key: (*key).into(),
            size: 1000,
            last_modified: 1,
            ..NewVideo::default()
        })
        .collect();
    catalog.upsert_videos(&videos).unwrap();
    catalog
        .writer()
        .execute(
            "INSERT INTO preview_segments (key, folder, size, last_modified) VALUES (?1, ?2, 1000, 1)",
            [SEGMENT, "alice-2024-01-01_00-00-00"],
        )
        .unwrap();

    let server = MediaServer::start().await.unwrap();
    server.serve("lib", std::fs::canonicalize(&root).unwrap(), catalog);
    let port = server.address.port();
    Fixture {
        _dir: dir,
        server,
        data,
        port,
    }
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request as written, on a connection of its own, read to the end.
fn raw(port: u16, method: &str, path: &str, host: &str, extra: &[(&str, &str)]) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (name, value) in extra {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: response[split + 4..].to_vec(),
    }
}

impl Fixture {
    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The path part of the server's URL for `key`.
    fn path(&self, key: &str) -> String {
        self.server
            .url("lib", key)
            .trim_start_matches(self.server.origin())
            .to_owned()
    }

    fn get(&self, path: &str, extra: &[(&str, &str)]) -> Answer {
        raw(self.port, "GET", path, &self.host(), extra)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ranges_are_answered_with_206_and_their_content_range() {
    let f = fixture().await;
    let path = f.path(VIDEO);
    let whole = f.get(&path, &[]);
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body, f.data);
    assert_eq!(whole.header("content-type"), Some("video/mp4"));
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));

    for (range, from, to) in [
        ("bytes=0-99", 0, 99),
        ("bytes=400-499", 400, 499),
        ("bytes=900-", 900, 999),
        ("bytes=-100", 900, 999),
        ("bytes=999-999", 999, 999),
    ] {
        let part = f.get(&path, &[("Range", range)]);
        assert_eq!(part.status, 206, "{range}");
        assert_eq!(
            part.header("content-range"),
            Some(format!("bytes {from}-{to}/1000").as_str()),
            "{range}"
        );
        assert_eq!(part.body, f.data[from..=to], "{range}");
    }
    let beyond = f.get(&path, &[("Range", "bytes=2000-3000")]);
    assert_eq!(beyond.status, 416);
    assert_eq!(beyond.header("content-range"), Some("bytes */1000"));

    let segment = f.get(&f.path(SEGMENT), &[("Range", "bytes=0-9")]);
    assert_eq!((segment.status, segment.body.len()), (206, 10));
}

#[tokio::test(flavor = "multi_thread")]
async fn head_answers_the_size_without_the_body() {
    let f = fixture().await;
    let head = raw(f.port, "HEAD", &f.path(VIDEO), &f.host(), &[]);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some("1000"));
    assert!(head.body.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_or_missing_token_is_refused() {
    let f = fixture().await;
    let good = f.path(VIDEO);
    let token = &f.server.shared.token;
    let wrong = good.replacen(token.as_str(), &"0".repeat(token.len()), 1);
    assert_eq!(f.get(&wrong, &[]).status, 403);
    let short = good.replacen(token.as_str(), "abc", 1);
    assert_eq!(f.get(&short, &[]).status, 403);
    let missing = good.replacen(&format!("/{token}"), "", 1);
    assert_eq!(f.get(&missing, &[]).status, 403, "{missing}");
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_outside_the_catalog_or_the_folder_is_served() {
    let f = fixture().await;
    let base = format!("/{}/lib", f.server.shared.token);
    // On disk, in the folder, but no video or segment of the catalog.
    assert_eq!(f.get(&format!("{base}/secret.txt"), &[]).status, 404);
    assert_eq!(f.get(&format!("{base}/alice/nothing.mp4"), &[]).status, 404);
    assert_eq!(
        f.get(&format!("/{}/other-library/{VIDEO}", f.server.shared.token), &[])
            .status,
        404
    );
    for traversal in [
        format!("{base}/../secret.txt"),
        format!("{base}/alice/../secret.txt"),
        format!("{base}/%2e%2e/secret.txt"),
        format!("{base}/alice/%2E%2E%2F..%2Fsecret.txt"),
        format!("{base}/%2Fetc%2Fpasswd"),
        format!("{base}//etc/passwd"),
        format!("{base}/alice%5C..%5Csecret.txt"),
    ] {
        let answer = f.get(&traversal, &[]);
        assert!(
            matches!(answer.status, 400 | 404),
            "{traversal} answered {} {:?}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
        assert_ne!(answer.body, f.data, "{traversal} served a file");
    }
    // A key of the catalog whose file is a link out of the folder.
    #[cfg(unix)]
    assert_eq!(f.get(&f.path("alice/link-out.mp4"), &[]).status, 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_requests_for_this_host_are_answered_and_no_origin_may_read() {
    let f = fixture().await;
    let path = f.path(VIDEO);
    for host in [format!("evil.example:{}", f.port), "127.0.0.1".into(), String::new()] {
        assert_eq!(raw(f.port, "GET", &path, &host, &[]).status, 403, "Host {host:?}");
    }
    assert_eq!(
        raw(f.port, "GET", &path, &format!("localhost:{}", f.port), &[]).status,
        200
    );
    let answer = f.get(&path, &[("Origin", "https://evil.example")]);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("access-control-allow-origin"), None);
}
