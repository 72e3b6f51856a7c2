//! Real S3 servers for the bucket tests, started on 127.0.0.1 on a free port and killed
//! when dropped: s3s-fs (checks SigV4 signatures and presigned URL expiry, serves a
//! folder) and moto (lists exactly like S3, checks no signature). Plus a small HTTP proxy
//! that injects faults in front of either: a test harness, not a mock of the client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_s3::config::{
    BehaviorVersion, Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use m3u8v_core::{
    Bucket, BucketSettings, CancellationToken, Catalog, ConnectOptions, Profile, Secret, SecretSource, Source,
    SourceSettings, SyncError, SyncOptions, SyncReport,
};

pub const ACCESS_KEY: &str = "m3u8vtestkey";
pub const SECRET_KEY: &str = "m3u8v-test-secret-0123456789";
pub const REGION: &str = "auto";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    S3sFs,
    Moto,
}

pub struct Server {
    pub kind: Kind,
    pub endpoint: String,
    pub port: u16,
    child: Child,
    /// The temporary folder s3s-fs serves, removed with the server.
    root: Option<tempfile::TempDir>,
    /// The folder s3s-fs serves (buckets are its sub-folders); None for moto.
    served: Option<PathBuf>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port no other server of this test process was given: the OS can hand the same
/// just-released port to two tests starting side by side, and the second server then
/// fails to bind while its test talks to the first one's.
pub fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port on 127.0.0.1");
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

fn require(binary: &str, install: &str) {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(binary).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "`{binary}` is not on PATH; these tests start a real S3 server. Install it with: {install} (or run scripts/setup)"
    );
}

fn wait_for_port(port: u16, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited before listening ({status})");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not listen on 127.0.0.1:{port} within 60 s");
}

impl Server {
    pub fn start(kind: Kind) -> Server {
        match kind {
            Kind::S3sFs => Self::s3s_fs(),
            Kind::Moto => Self::moto(),
        }
    }

    pub fn s3s_fs() -> Server {
        require(
            "s3s-fs",
            "cargo install s3s-fs --version 0.14.1 --features binary --locked",
        );
        let root = tempfile::tempdir().expect("a temp folder");
        Self::s3s_fs_serving(root)
    }

    /// s3s-fs over a folder the caller filled (buckets are its sub-folders), removed
    /// with the server.
    pub fn s3s_fs_serving(root: tempfile::TempDir) -> Server {
        let mut server = Self::s3s_fs_at(root.path());
        server.root = Some(root);
        server
    }

    /// s3s-fs over a folder that outlives it (a benchmark's bucket, made once).
    pub fn s3s_fs_at(root: &Path) -> Server {
        require(
            "s3s-fs",
            "cargo install s3s-fs --version 0.14.1 --features binary --locked",
        );
        let port = free_port();
        let mut child = Command::new("s3s-fs")
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--access-key",
                ACCESS_KEY,
                "--secret-key",
                SECRET_KEY,
            ])
            .arg(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("s3s-fs starts");
        wait_for_port(port, &mut child, "s3s-fs");
        Server {
            kind: Kind::S3sFs,
            endpoint: format!("http://127.0.0.1:{port}"),
            port,
            child,
            root: None,
            served: Some(root.to_path_buf()),
        }
    }

    pub fn moto() -> Server {
        require("moto_server", "pip install 'moto[server]'");
        let port = free_port();
        let mut child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        wait_for_port(port, &mut child, "moto_server");
        Server {
            kind: Kind::Moto,
            endpoint: format!("http://127.0.0.1:{port}"),
            port,
            child,
            root: None,
            served: None,
        }
    }

    pub fn root(&self) -> Option<&Path> {
        self.served.as_deref()
    }

    /// The server's process, to stop (SIGSTOP) and go on (SIGCONT) as a stalled server.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn profile(&self, bucket: &str) -> Profile {
        profile_at(&self.endpoint, bucket)
    }

    /// A client of the bucket as the app builds it, with quick retries for the tests.
    pub fn bucket(&self, name: &str) -> Bucket {
        bucket_at(&self.endpoint, name, SECRET_KEY)
    }

    /// The bucket as a library's source, as the app and the CLI connect one.
    pub fn source(&self, name: &str) -> Source {
        source_at(&self.endpoint, name, SECRET_KEY)
    }

    /// A plain SDK client, for creating buckets and objects the way any S3 tool would.
    pub fn sdk(&self) -> aws_sdk_s3::Client {
        sdk_at(&self.endpoint, ACCESS_KEY, SECRET_KEY)
    }

    pub async fn create_bucket(&self, name: &str) {
        match self.kind {
            // s3s-fs: a bucket is a folder of its root.
            Kind::S3sFs => std::fs::create_dir_all(self.root().unwrap().join(name)).unwrap(),
            // moto, like S3, wants the location constraint of any region but us-east-1.
            Kind::Moto => {
                let constraint = CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(REGION))
                    .build();
                self.sdk()
                    .create_bucket()
                    .bucket(name)
                    .create_bucket_configuration(constraint)
                    .send()
                    .await
                    .expect("create bucket");
            }
        }
    }

    pub async fn put(&self, bucket: &str, key: &str, body: &[u8]) {
        put_with(&self.sdk(), bucket, key, body).await;
    }

    /// Puts many objects, 16 at a time.
    pub async fn put_all(&self, bucket: &str, keys: &[String]) {
        for chunk in keys.chunks(16) {
            let puts = chunk.iter().map(|k| self.put(bucket, k, k.as_bytes()));
            futures_join_all(puts).await;
        }
    }

    pub async fn keys(&self, bucket: &str) -> Vec<String> {
        let mut keys = Vec::new();
        let mut pages = self.sdk().list_objects_v2().bucket(bucket).into_paginator().send();
        while let Some(page) = pages.next().await {
            keys.extend(
                page.expect("list")
                    .contents()
                    .iter()
                    .filter_map(|o| o.key().map(str::to_owned)),
            );
        }
        keys.sort();
        keys
    }
}

async fn futures_join_all<F: std::future::Future<Output = ()>>(futures: impl Iterator<Item = F>) {
    let mut set = Vec::new();
    for f in futures {
        set.push(f);
    }
    // Polled together without a futures crate: a join of boxed futures.
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = set.into_iter().map(Box::pin).collect();
    std::future::poll_fn(|cx| {
        pinned.retain_mut(|f| f.as_mut().poll(cx).is_pending());
        if pinned.is_empty() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}

/// Puts one object through `sdk`, or panics saying which and why.
pub async fn put_with(sdk: &aws_sdk_s3::Client, bucket: &str, key: &str, body: &[u8]) {
    sdk.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body.to_vec()))
        .send()
        .await
        .unwrap_or_else(|e| panic!("put {key}: {}", aws_sdk_s3::error::DisplayErrorContext(e)));
}

/// A plain SDK client of the server at `endpoint` with these keys.
pub fn sdk_at(endpoint: &str, access_key: &str, secret: &str) -> aws_sdk_s3::Client {
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(REGION))
        .force_path_style(true)
        .credentials_provider(Credentials::new(access_key, secret, None, None, "test"))
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

pub fn profile_at(endpoint: &str, bucket: &str) -> Profile {
    Profile {
        endpoint: endpoint.to_owned(),
        bucket: bucket.to_owned(),
        region: REGION.to_owned(),
        access_key_id: ACCESS_KEY.to_owned(),
        path_style: true,
    }
}

pub fn quick_settings() -> BucketSettings {
    BucketSettings {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        connect_timeout: Duration::from_secs(2),
        attempt_timeout: Duration::from_secs(20),
    }
}

pub fn source_at(endpoint: &str, bucket: &str, secret: &str) -> Source {
    let options = ConnectOptions {
        bucket: quick_settings(),
        ..ConnectOptions::default()
    };
    Source::connect(
        "test",
        &SourceSettings::Bucket(profile_at(endpoint, bucket)),
        Some((Secret::new(secret), SecretSource::Environment)),
        &options,
    )
    .expect("a source")
}

pub fn bucket_at(endpoint: &str, bucket: &str, secret: &str) -> Bucket {
    Bucket::connect(&profile_at(endpoint, bucket), &Secret::new(secret), &quick_settings()).expect("a client")
}

pub fn catalog() -> (tempfile::TempDir, Arc<Catalog>) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(dir.path().join("catalog.sqlite")).unwrap();
    (dir, Arc::new(catalog))
}

/// A sync with no progress to show and no cancel.
pub async fn sync_quiet(
    catalog: &Arc<Catalog>,
    source: &Source,
    options: SyncOptions,
) -> Result<SyncReport, SyncError> {
    m3u8v_core::sync(catalog, source, options, Arc::new(|_| {}), &CancellationToken::new()).await
}

/// SQLite's count of commits made by other connections, read from a connection of its own.
pub fn data_version(path: &Path) -> impl Fn() -> i64 + use<> {
    let conn = rusqlite::Connection::open(path).unwrap();
    move || conn.pragma_query_value(None, "data_version", |r| r.get(0)).unwrap()
}

pub fn count(catalog_path: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(catalog_path)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// What the fault proxy does to the requests it sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer this many requests with 503 (then 500 alternately), then pass through.
    FailFirst(usize),
    /// Every request fails with 503.
    AlwaysFail,
    /// Pass the first `n` listing pages through, then cut every later listing answer off
    /// half-way through its body.
    CutListingAfter(usize),
    /// Hold every listing answer this long before passing it on: a slow, big bucket.
    SlowListing(Duration),
}

pub struct FaultProxy {
    pub endpoint: String,
    stop: Arc<AtomicBool>,
    pub requests: Arc<AtomicUsize>,
    port: u16,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

impl FaultProxy {
    pub fn start(upstream_port: u16, fault: Fault) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(AtomicUsize::new(0));
        let listings = Arc::new(AtomicUsize::new(0));
        let (stop2, requests2) = (stop.clone(), requests.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(client) = client else { continue };
                let n = requests2.fetch_add(1, Ordering::SeqCst);
                let listings = listings.clone();
                std::thread::spawn(move || {
                    let _ = serve(client, upstream_port, fault, n, &listings);
                });
            }
        });
        FaultProxy {
            endpoint: format!("http://127.0.0.1:{port}"),
            stop,
            requests,
            port,
        }
    }
}

/// Reads one request: head and Content-Length body.
fn read_request(reader: &mut BufReader<TcpStream>) -> std::io::Result<(Vec<String>, Vec<u8>)> {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        if line.is_empty() {
            break;
        }
        lines.push(line);
    }
    let length = lines
        .iter()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .map(|(_, v)| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok((lines, body))
}

fn serve(client: TcpStream, upstream_port: u16, fault: Fault, n: usize, listings: &AtomicUsize) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut client = client;
    let (head, body) = read_request(&mut reader)?;
    let failing = match fault {
        Fault::FailFirst(k) => n < k,
        Fault::AlwaysFail => true,
        Fault::CutListingAfter(_) | Fault::SlowListing(_) => false,
    };
    if failing {
        let (status, code) = if n.is_multiple_of(2) {
            ("503 Service Unavailable", "ServiceUnavailable")
        } else {
            ("500 Internal Server Error", "InternalError")
        };
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>injected</Message></Error>"
        );
        write!(
            client,
            "HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
            xml.len()
        )?;
        return client.shutdown(Shutdown::Both);
    }
    let is_listing = head
        .first()
        .is_some_and(|l| l.starts_with("GET ") && l.contains("list-type=2"));
    let mut upstream = TcpStream::connect(("127.0.0.1", upstream_port))?;
    for line in head
        .iter()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
    {
        write!(upstream, "{line}\r\n")?;
    }
    write!(upstream, "Connection: close\r\n\r\n")?;
    upstream.write_all(&body)?;
    let mut response = Vec::new();
    upstream.read_to_end(&mut response)?;
    if let Fault::CutListingAfter(pages) = fault
        && is_listing
        && listings.fetch_add(1, Ordering::SeqCst) >= pages
    {
        // Headers and half the body, then the connection drops.
        let head_end = response.windows(4).position(|w| w == b"\r\n\r\n").map_or(0, |p| p + 4);
        let cut = head_end + (response.len() - head_end) / 2;
        client.write_all(&response[..cut])?;
        return client.shutdown(Shutdown::Both);
    }
    if let Fault::SlowListing(delay) = fault
        && is_listing
    {
        std::thread::sleep(delay);
    }
    client.write_all(&response)?;
    client.shutdown(Shutdown::Both)
}

/// A GET with optional Range, answering (status, body).
pub fn http_get(url: &str, range: Option<&str>) -> (u16, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut request = agent.get(url);
    if let Some(range) = range {
        request = request.header("Range", range);
    }
    let mut response = request.call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_vec().unwrap_or_default();
    (status, body)
}

pub fn temp_path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}
