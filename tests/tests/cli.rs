//! `m3u8v` as a user or a script runs it: the real binary on a real catalog file.

use assert_cmd::Command;
use serde_json::Value;

struct Library {
    dir: tempfile::TempDir,
}

impl Library {
    /// A catalog with a small synthetic library in it.
    fn new() -> Library {
        let library = Library {
            dir: tempfile::tempdir().unwrap(),
        };
        library.ok(&["synth", "--videos", "400", "--creators", "12", "--seed", "5"]);
        library
    }

    fn db(&self) -> String {
        self.dir.path().join("catalog.sqlite").display().to_string()
    }

    fn cmd(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        Command::cargo_bin("m3u8v")
            .unwrap()
            .env_remove("M3U8V_DB")
            .args(["--db", &self.db()])
            .args(args)
            .assert()
    }

    fn ok(&self, args: &[&str]) -> String {
        String::from_utf8(self.cmd(args).success().get_output().stdout.clone()).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// Fails, with one line on stderr that contains `expected`.
    fn fails(&self, args: &[&str], expected: &str) {
        let out = self.cmd(args).failure().get_output().clone();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(expected), "{stderr:?} should say {expected:?}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

fn keys(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["key"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn ls_pages_through_the_whole_library_with_cursors() {
    let lib = Library::new();
    let first = lib.json(&["ls", "--limit", "150", "--sort", "size", "--asc"]);
    assert_eq!(first["total"], 400);
    let mut seen = keys(&first);
    let mut cursor = first["nextCursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let page = lib.json(&["ls", "--limit", "150", "--sort", "size", "--asc", "--after", &c]);
        seen.extend(keys(&page));
        cursor = page["nextCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 400);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 400, "no video twice");
}

#[test]
fn filters_combine_and_the_total_follows() {
    let lib = Library::new();
    let creators: Value = lib.json(&["creators"]);
    let top = &creators
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|c| c["videos"].as_u64().unwrap())
        .unwrap()
        .clone();
    let name = top["name"].as_str().unwrap();
    let page = lib.json(&["ls", "--creator", name, "--unseen", "--limit", "1000"]);
    assert_eq!(page["total"], top["unseen"]);
    assert_eq!(keys(&page).len() as u64, top["unseen"].as_u64().unwrap());
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["creator"] == name && v["seenAt"].is_null())
    );

    let best = lib.json(&["ls", "--sort", "quality", "--limit", "5"]);
    let q: Vec<u64> = best["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["quality"].as_u64().unwrap())
        .collect();
    assert!(q.windows(2).all(|w| w[0] >= w[1]), "{q:?}");

    let search = lib.json(&["ls", "--search", &name.to_uppercase(), "--limit", "1000"]);
    assert!(search["total"].as_u64().unwrap() >= top["videos"].as_u64().unwrap());
}

#[test]
fn fav_seen_and_show_change_and_report_one_video() {
    let lib = Library::new();
    let page = lib.json(&["ls", "--limit", "1", "--sort", "name", "--asc"]);
    let key = keys(&page)[0].clone();
    lib.ok(&["fav", &key]);
    lib.ok(&["seen", &key]);
    lib.ok(&["position", &key, "42.5"]);
    let shown = lib.json(&["show", &key]);
    assert_eq!(shown["key"], key.as_str());
    assert_eq!(shown["favorite"], true);
    assert!(shown["markedSeenAt"].as_i64().unwrap() > 1_700_000_000_000);
    assert!(shown["seenAt"].is_null(), "a mark is not a watch: {shown}");
    assert_eq!(shown["position"], 42.5);
    lib.ok(&["fav", &key, "--off"]);
    lib.ok(&["seen", &key, "--off"]);
    let shown = lib.json(&["show", &key]);
    assert_eq!(
        (shown["favorite"].clone(), shown["markedSeenAt"].clone()),
        (Value::Bool(false), Value::Null)
    );
    lib.fails(&["seen", "nobody/none.mp4"], "no video");
    let text = lib.ok(&["show", &key]);
    assert!(text.contains(&key) && text.contains("favorite:   no"), "{text}");
}

#[test]
fn predictions_import_reports_bad_lines_by_number() {
    let lib = Library::new();
    let key = keys(&lib.json(&["ls", "--limit", "1"]))[0].clone();
    let file = lib.dir.path().join("predictions.csv");
    std::fs::write(&file, format!("key,prediction\n{key},{}\n{key},01\n", "1".repeat(100))).unwrap();
    let report = lib.json(&["predictions", "import", file.to_str().unwrap()]);
    assert_eq!(report["applied"], 1);
    assert_eq!(report["badLines"][0]["line"], 3);
    assert_eq!(lib.json(&["show", &key])["quality"], 100);
}

#[test]
fn bad_input_is_one_clear_line_and_a_failure() {
    let lib = Library::new();
    lib.fails(&["show", "nobody/none.mp4"], "no video \"nobody/none.mp4\"");
    lib.fails(&["fav", "nobody/none.mp4"], "no video");
    lib.fails(&["ls", "--after", "not-a-cursor"], "cursor");
    lib.fails(&["ls", "--limit", "0"], "1 to 1000");
    lib.fails(&["ls", "--from", "yesterday"], "not a date");
    lib.fails(&["position", "a/b.mp4", "-5"], "0 or more");
    lib.fails(
        &["predictions", "import", "/does/not/exist.csv"],
        "cannot read /does/not/exist.csv",
    );
    let text_file = lib.dir.path().join("not-a-db");
    std::fs::write(&text_file, "x".repeat(4096)).unwrap();
    let out = Command::cargo_bin("m3u8v")
        .unwrap()
        .args(["--db", text_file.to_str().unwrap(), "ls"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("not-a-db") && !stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        std::fs::read(&text_file).unwrap(),
        "x".repeat(4096).into_bytes(),
        "the file is left as it was"
    );
}

#[test]
fn the_catalog_path_follows_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-env.sqlite");
    Command::cargo_bin("m3u8v")
        .unwrap()
        .env("M3U8V_DB", &db)
        .args(["synth", "--videos", "10", "--creators", "2"])
        .assert()
        .success();
    assert!(db.exists());
    let data = dir.path().join("data");
    Command::cargo_bin("m3u8v")
        .unwrap()
        .env_remove("M3U8V_DB")
        .env("M3U8V_DATA_DIR", &data)
        .args(["synth", "--videos", "10", "--creators", "2"])
        .assert()
        .success();
    assert!(data.join("catalog.sqlite").exists());
}

#[test]
fn fav_and_seen_act_on_several_keys_or_on_a_filter() {
    let lib = Library::new();
    let creator = lib.json(&["creators"])[0]["name"].as_str().unwrap().to_owned();
    let unseen_of = |lib: &Library| {
        lib.json(&["ls", "--creator", &creator, "--unseen", "--limit", "1"])["total"]
            .as_u64()
            .unwrap()
    };
    let before = unseen_of(&lib);
    assert!(before > 0, "the synthetic creator has unseen videos");
    let done = lib.json(&["seen", "--creator", &creator, "--unseen"]);
    assert_eq!(done["changed"].as_u64(), Some(before));
    assert_eq!(unseen_of(&lib), 0);
    let per_creator = lib.json(&["creators"]);
    let row = per_creator
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == creator.as_str())
        .unwrap();
    assert_eq!(row["unseen"], 0, "the creator's counter follows: {row}");

    let two = keys(&lib.json(&["ls", "--sort", "name", "--asc", "--limit", "2"]));
    let done = lib.json(&["fav", &two[0], &two[1]]);
    assert!(done["changed"].as_u64().unwrap() <= 2);
    for key in &two {
        assert_eq!(lib.json(&["show", key])["favorite"], true);
    }
    lib.fails(&["fav"], "name the videos");
    lib.fails(&["seen", &two[0], "--creator", &creator], "not both");
    lib.fails(&["ls", "--unseen", "--watched"], "cannot be used with");
}

#[test]
fn a_saved_view_lists_from_the_command_line() {
    let lib = Library::new();
    let creator = lib.json(&["creators"])[0]["name"].as_str().unwrap().to_owned();
    lib.ok(&[
        "views",
        "save",
        "Mine",
        "--creator",
        &creator,
        "--sort",
        "size",
        "--asc",
    ]);
    let listed = lib.json(&["views"]);
    assert_eq!(listed[0]["name"], "Mine");
    let by_view = lib.json(&["ls", "--view", "mine", "--limit", "1000"]);
    let direct = lib.json(&[
        "ls",
        "--creator",
        &creator,
        "--sort",
        "size",
        "--asc",
        "--limit",
        "1000",
    ]);
    assert_eq!(keys(&by_view), keys(&direct));
    lib.fails(&["views", "save", "MINE"], "already a view");
    lib.ok(&["views", "rename", "Mine", "Theirs"]);
    lib.fails(&["ls", "--view", "Mine"], "no view named");
    lib.ok(&["views", "delete", "theirs"]);
    assert_eq!(lib.json(&["views"]).as_array().map(Vec::len), Some(0));

    let pick = lib.json(&["random", "--creator", &creator, "--limit", "3"]);
    let picked = keys(&pick);
    assert!(!picked.is_empty() && picked.len() <= 3);
    assert!(
        picked.iter().all(|k| k.starts_with(&format!("{creator}/"))),
        "{picked:?}"
    );
    lib.fails(&["random", "--creator", "nobody"], "no video matches");
}

#[test]
fn thumbnails_reports_the_poster_cache_and_clears_it() {
    let lib = Library::new();
    let none = lib.json(&["thumbnails"]);
    assert_eq!(none["posters"], 0);
    let cache_path = lib.dir.path().join("catalog.posters.sqlite");
    assert!(!cache_path.exists(), "asking about the cache created one");

    // Posters as the app keeps them, for two videos of the catalog.
    let page = lib.json(&["ls", "--limit", "2"]);
    let cache = m3u8v_core::PosterCache::open(&cache_path).unwrap();
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 1, 2, 3, 4];
    for key in keys(&page) {
        cache.keep(&key, "v1", &jpeg, 1).unwrap();
    }
    cache.keep_unavailable("zed/zed.mp4", "v1", "no frame", 1).unwrap();
    drop(cache);

    let stats = lib.json(&["thumbnails"]);
    assert_eq!(
        (stats["posters"].as_u64(), stats["unavailable"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(stats["imageBytes"], 2 * jpeg.len() as u64);
    let said = lib.ok(&["thumbnails"]);
    assert!(
        said.starts_with("2 posters,") && said.contains("; 1 video without one"),
        "{said}"
    );

    let cleared = lib.json(&["thumbnails", "--clear"]);
    assert_eq!(
        (cleared["posters"].as_u64(), cleared["cleared"].as_bool()),
        (Some(2), Some(true))
    );
    assert_eq!(lib.json(&["thumbnails"])["posters"], 0);
    // The catalog itself is untouched.
    assert_eq!(lib.json(&["ls", "--limit", "1"])["total"], page["total"]);
}
