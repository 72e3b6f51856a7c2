//! Garage for the benchmarks: an S3 server that checks signatures and pages a listing in
//! key order, where s3s-fs reads its whole tree for every page (over 15 minutes for one
//! listing of 110,000 objects here: a figure of the server, not of the sync), and answers
//! small reads without s3s-fs's delayed-ACK stall. Not in scripts/setup: `cargo install
//! garage --version 2.5.0 --locked` takes about 20 minutes, for benchmarks only. A single
//! node, its metadata and data kept under the folder it is given, so a bucket filled once
//! is reused by the next run. Like the other servers here, it panics on what goes wrong.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::servers::{REGION, free_port, put_with, quick_settings, sdk_at};
use aws_sdk_s3::primitives::ByteStream;
use m3u8v_core::{ConnectOptions, Profile, Secret, SecretSource, Source, SourceSettings};

/// Garage's own key format: `GK` and 12 bytes in hex; the secret 32 bytes in hex.
pub const KEY_ID: &str = "GK0123456789abcdef01234567";
pub const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const RPC_SECRET: &str = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

pub struct Garage {
    child: Child,
    config: PathBuf,
    pub endpoint: String,
}

impl Drop for Garage {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Garage {
    /// Starts a node keeping its state under `dir`, and makes it a cluster of one with the
    /// benchmark's key (once: `dir` remembers).
    pub fn start(dir: &Path) -> Garage {
        std::fs::create_dir_all(dir).expect("garage's folder");
        let (s3, rpc) = (free_port(), free_port());
        let config = dir.join("garage.toml");
        let written = std::fs::write(
            &config,
            format!(
                "metadata_dir = \"{meta}\"\ndata_dir = \"{data}\"\ndb_engine = \"sqlite\"\n\
                 replication_factor = 1\nrpc_bind_addr = \"127.0.0.1:{rpc}\"\n\
                 rpc_public_addr = \"127.0.0.1:{rpc}\"\nrpc_secret = \"{RPC_SECRET}\"\n\
                 [s3_api]\ns3_region = \"{REGION}\"\napi_bind_addr = \"127.0.0.1:{s3}\"\n\
                 root_domain = \".s3.garage.localhost\"\n",
                meta = dir.join("meta").display(),
                data = dir.join("data").display(),
            ),
        );
        written.expect("garage's configuration");
        let log = std::fs::File::create(dir.join("garage.log")).expect("garage's log");
        let child = Command::new("garage")
            .arg("-c")
            .arg(&config)
            .arg("server")
            .env("RUST_LOG", "warn")
            .stdout(log.try_clone().expect("garage's log"))
            .stderr(log)
            .spawn()
            .expect("garage starts (install it: cargo install garage --version 2.5.0 --locked)");
        let garage = Garage {
            child,
            config,
            endpoint: format!("http://127.0.0.1:{s3}"),
        };
        garage.wait_ready();
        let ready = dir.join(".ready");
        if !ready.exists() {
            let node = garage.cli(&["node", "id", "-q"]).expect("garage's node id");
            let node = node.trim().split('@').next().unwrap_or_default().to_owned();
            garage
                .cli(&["layout", "assign", "-z", "dc1", "-c", "10G", &node])
                .expect("garage set up as a cluster of one");
            garage
                .cli(&["layout", "apply", "--version", "1"])
                .expect("garage set up as a cluster of one");
            garage
                .cli(&["key", "import", "--yes", "-n", "bench", KEY_ID, SECRET])
                .expect("garage set up as a cluster of one");
            std::fs::write(&ready, "").expect("garage's marker");
        }
        garage
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if Command::new("garage")
                .arg("-c")
                .arg(&self.config)
                .arg("status")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
            {
                return;
            }
            assert!(Instant::now() < deadline, "garage did not answer within 60 s");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Garage's own command line on this node: its output, or what it said went wrong.
    fn cli(&self, args: &[&str]) -> Result<String, String> {
        let out = Command::new("garage")
            .arg("-c")
            .arg(&self.config)
            .args(args)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "garage {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Creates `bucket` for the benchmark's key, unless it is there.
    pub fn create_bucket(&self, bucket: &str) {
        if self.cli(&["bucket", "info", bucket]).is_ok() {
            return;
        }
        self.cli(&["bucket", "create", bucket]).expect("a bucket");
        self.cli(&[
            "bucket", "allow", "--read", "--write", "--owner", bucket, "--key", "bench",
        ])
        .expect("the key allowed in the bucket");
    }

    pub async fn put(&self, bucket: &str, key: &str, body: &[u8]) {
        put_with(&self.sdk(), bucket, key, body).await;
    }

    /// Puts every file under `root` as the object of its relative path, 32 at a time.
    pub async fn upload(&self, bucket: &str, root: &Path) -> usize {
        let mut files = Vec::new();
        walk(root, &mut files);
        let sdk = self.sdk();
        for chunk in files.chunks(32) {
            let mut puts = tokio::task::JoinSet::new();
            for path in chunk {
                let key = path.strip_prefix(root).expect("inside").to_string_lossy().into_owned();
                let body = std::fs::read(path).expect("a file of the library");
                let put = sdk.put_object().bucket(bucket).key(key).body(ByteStream::from(body));
                puts.spawn(put.send());
            }
            while let Some(done) = puts.join_next().await {
                if let Err(e) = done.expect("a put") {
                    panic!("put: {}", aws_sdk_s3::error::DisplayErrorContext(e));
                }
            }
        }
        files.len()
    }

    /// The bucket as a library's source, connected as the app connects one.
    pub fn source(&self, bucket: &str) -> Source {
        let profile = Profile {
            endpoint: self.endpoint.clone(),
            bucket: bucket.to_owned(),
            region: REGION.to_owned(),
            access_key_id: KEY_ID.to_owned(),
            path_style: true,
        };
        let options = ConnectOptions {
            bucket: quick_settings(),
            ..ConnectOptions::default()
        };
        Source::connect(
            "bench",
            &SourceSettings::Bucket(profile),
            Some((Secret::new(SECRET), SecretSource::Environment)),
            &options,
        )
        .expect("a source")
    }

    pub fn sdk(&self) -> aws_sdk_s3::Client {
        sdk_at(&self.endpoint, KEY_ID, SECRET)
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a folder of the library") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            walk(&path, files);
        } else {
            files.push(path);
        }
    }
}
