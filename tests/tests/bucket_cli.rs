//! `m3u8v connect`, `sync`, `url` and `rm` end to end, configured the headless way (AWS
//! environment variables), against s3s-fs.

use m3u8v_testkit::servers as support;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

use support::{Kind, Server, http_get};

const BUCKET: &str = "library";

/// The `m3u8v` binary, built if needed: `cargo test -p m3u8v-tests` alone does not build
/// other packages' binaries.
fn m3u8v() -> Command {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    let bin = BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "m3u8v", "--bin", "m3u8v"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building m3u8v failed");
        // Next to the test binary's deps/ folder.
        let exe = std::env::current_exe().unwrap();
        exe.parent()
            .and_then(|deps| deps.parent())
            .unwrap()
            .join(format!("m3u8v{}", std::env::consts::EXE_SUFFIX))
    });
    Command::new(bin)
}

struct Env {
    server: Server,
    data: tempfile::TempDir,
}

impl Env {
    fn run(&self, args: &[&str], secret: &str) -> Output {
        m3u8v()
            .args(args)
            .env("AWS_ENDPOINT_URL", &self.server.endpoint)
            .env("AWS_REGION", "auto")
            .env("AWS_ACCESS_KEY_ID", support::ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", secret)
            .env("M3U8V_BUCKET", BUCKET)
            .env("M3U8V_PATH_STYLE", "1")
            .env("M3U8V_DATA_DIR", self.data.path())
            .env_remove("M3U8V_DB")
            .output()
            .expect("m3u8v runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, support::SECRET_KEY);
        assert!(
            out.status.success(),
            "m3u8v {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

#[test]
fn connect_sync_url_rm_from_the_command_line() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = Server::start(Kind::S3sFs);
        server.create_bucket(BUCKET).await;
        for key in [
            "a/a-2024-01-01_00-00-00.mp4",
            "previews/2024-01-01_00-00-00/segment_1.mp4",
            "b/b-2024-02-02_00-00-00.mp4",
        ] {
            server.put(BUCKET, key, key.as_bytes()).await;
        }
        server
    });
    let env = Env {
        server,
        data: tempfile::tempdir().unwrap(),
    };

    assert!(env.ok(&["connect", "--check"]).starts_with("ok: bucket"));
    let bad = env.run(&["connect", "--check"], "wrong-secret");
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("secret access key is wrong") && !stderr.contains("wrong-secret"),
        "{stderr}"
    );

    let report: serde_json::Value = serde_json::from_str(&env.ok(&["--json", "sync"])).unwrap();
    assert_eq!(
        (report["videosAdded"].as_u64(), report["segmentsWritten"].as_u64()),
        (Some(2), Some(1)),
        "{report}"
    );
    assert!(env.ok(&["sync"]).contains("videos +0 ~0 -0"));

    let urls = env.ok(&["url", "a/a-2024-01-01_00-00-00.mp4"]);
    let urls: Vec<&str> = urls.lines().collect();
    assert_eq!(urls.len(), 2);
    assert_eq!(http_get(urls[0], None), (200, b"a/a-2024-01-01_00-00-00.mp4".to_vec()));
    assert_eq!(http_get(urls[1], Some("bytes=0-7")), (206, b"previews".to_vec()));

    let refused = env.run(&["rm", "a/a-2024-01-01_00-00-00.mp4"], support::SECRET_KEY);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    let removed: serde_json::Value =
        serde_json::from_str(&env.ok(&["--json", "rm", "--yes", "a/a-2024-01-01_00-00-00.mp4"])).unwrap();
    assert_eq!(
        removed["previewSegments"].as_array().map(Vec::len),
        Some(1),
        "{removed}"
    );
    let left = runtime.block_on(env.server.keys(BUCKET));
    assert_eq!(left, ["b/b-2024-02-02_00-00-00.mp4"]);

    // Saving the connection makes it a library, and keeps the secret out of the file.
    env.ok(&[
        "connect",
        "--endpoint",
        &env.server.endpoint,
        "--bucket",
        BUCKET,
        "--path-style",
    ]);
    let saved = std::fs::read_to_string(env.data.path().join("libraries.json")).unwrap();
    assert!(
        saved.contains(BUCKET) && !saved.contains(support::SECRET_KEY),
        "{saved}"
    );
    let listed = env.ok(&["libraries"]);
    assert!(listed.starts_with('*') && listed.contains(BUCKET), "{listed}");
}

/// `--folder PATH` works wherever a bucket does: sync, ls, url (the files' paths), rm (to
/// the trash, never erased).
#[test]
fn a_folder_library_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let media = tempfile::tempdir().unwrap();
    let trash_home = tempfile::tempdir_in(media.path().parent().unwrap()).unwrap();
    let root = media.path().join("Home videos");
    let video = "zoë/zoë-2024-01-01_00-00-00.mp4";
    for key in [
        video,
        "previews/zoë-2024-01-01_00-00-00/segment_01.mp4",
        "bob/bob-2024-02-02_00-00-00.mp4",
    ] {
        let path = root.join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, key.as_bytes()).unwrap();
    }
    let run = |args: &[&str]| -> Output {
        m3u8v()
            .arg("--folder")
            .arg(&root)
            .args(args)
            .env("M3U8V_DATA_DIR", data.path())
            .env("XDG_DATA_HOME", trash_home.path())
            .env_remove("M3U8V_DB")
            .env_remove("AWS_ENDPOINT_URL")
            .output()
            .expect("m3u8v runs")
    };
    let ok = |args: &[&str]| -> String {
        let out = run(args);
        assert!(
            out.status.success(),
            "m3u8v {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let report: serde_json::Value = serde_json::from_str(&ok(&["--json", "sync"])).unwrap();
    assert_eq!(
        (report["videosAdded"].as_u64(), report["segmentsWritten"].as_u64()),
        (Some(2), Some(1))
    );
    assert!(
        ok(&["ls", "--search", "zoe"]).contains(video),
        "an accent-folded search"
    );

    let urls = ok(&["url", video]);
    let paths: Vec<&str> = urls.lines().collect();
    assert_eq!(paths.len(), 2, "{urls}");
    assert_eq!(
        std::fs::read(paths[0]).unwrap(),
        video.as_bytes(),
        "a path any player opens"
    );

    // The folder became a library of its own, named after it.
    let listed = m3u8v()
        .arg("libraries")
        .env("M3U8V_DATA_DIR", data.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Home videos"));

    ok(&["rm", "--yes", video]);
    assert!(!root.join(video).exists());
    assert!(root.join("bob/bob-2024-02-02_00-00-00.mp4").exists());
    let trashed: Vec<String> = std::fs::read_dir(trash_home.path().join("Trash/files"))
        .expect("the freedesktop trash under XDG_DATA_HOME")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        trashed.iter().any(|n| n.starts_with("zoë-2024-01-01_00-00-00")),
        "the video is not in the trash: {trashed:?}"
    );
    assert!(trashed.iter().any(|n| n.starts_with("segment_01")), "{trashed:?}");
    assert!(!ok(&["ls"]).contains(video));
}
