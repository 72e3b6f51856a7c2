//! The plan and its application, without a server; and whole syncs of a real folder.

use std::sync::Mutex;

use super::*;
use crate::keys::{ObjectKind, classify, file_name};
use crate::sources::{ConnectOptions, FolderSettings, SourceSettings};

fn obj(key: &str, size: u64) -> ObjectEntry {
    ObjectEntry {
        key: key.into(),
        size,
        last_modified: 1_700_000_000_000,
        etag: Some(format!("e{size}")),
    }
}

fn state_of(listing: &[ObjectEntry]) -> CatalogState {
    let mut state = CatalogState::default();
    add_listing(&mut state, listing);
    state
}

/// Adds what `listing` has to `state`, keeping an entry `state` has already.
fn add_listing(state: &mut CatalogState, listing: &[ObjectEntry]) {
    for e in listing {
        match classify(&e.key) {
            ObjectKind::Video(_) => {
                state.add_video(
                    e.key.clone(),
                    KnownVideo {
                        size: e.size,
                        last_modified: e.last_modified,
                        etag: e.etag.clone(),
                        missing: false,
                        unread: false,
                    },
                );
            }
            ObjectKind::PreviewSegment(_) => {
                state.add_segment(e.key.clone(), (e.size, e.last_modified, e.etag.clone()));
            }
            ObjectKind::StreamPart | ObjectKind::Other => {}
        }
    }
}

fn bucket() -> Vec<ObjectEntry> {
    vec![
        obj("alice/alice-2024-02-20_14-30-00.mp4", 10),
        obj("alice/cover.jpg", 1),
        obj("previews/2024-02-20_14-30-00/segment_01.mp4", 2),
        obj("previews/2024-02-20_14-30-00/segment_02.mp4", 2),
        obj("previews/bob clip/segment_1.mp4", 2),
        obj("previewsbob/previewsbob-2024-01-01_00-00-00.mp4", 11),
        obj("previewszz", 0),
        obj("root-2023-05-05_05-05-05.mp4", 12),
        obj("ÆØÅ/ÆØÅ-2024-03-03_03-03-03.mkv", 13),
    ]
}

#[test]
fn a_first_plan_inserts_every_video_and_segment_and_links_them() {
    let plan = plan(&CatalogState::default(), &bucket());
    let keys: Vec<&str> = plan.additions.upsert_videos.iter().map(|v| v.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "alice/alice-2024-02-20_14-30-00.mp4",
            "previewsbob/previewsbob-2024-01-01_00-00-00.mp4",
            "root-2023-05-05_05-05-05.mp4",
            "ÆØÅ/ÆØÅ-2024-03-03_03-03-03.mkv"
        ]
    );
    let a = &plan.additions;
    assert_eq!((a.new_videos, a.changed_videos, a.upsert_segments.len()), (4, 0, 3));
    assert_eq!(a.upsert_segments[0].folder, "2024-02-20_14-30-00");
    assert_eq!(plan.seen.other_objects, 2);
    assert_eq!(
        plan.seen.preview_links(),
        (3, 1),
        "videos without previews, unlinked folders"
    );
    assert!(plan.removals.is_empty() && !plan.removals.removes_most_of_the_library());
}

#[test]
fn an_unchanged_bucket_plans_nothing() {
    let listing = bucket();
    let plan = plan(&state_of(&listing), &listing);
    assert!(plan.is_empty(), "{plan:?}");
    assert_eq!(plan.seen.videos_listed(), 4);
}

#[test]
fn changed_and_vanished_objects_are_updated_and_removed() {
    let before = bucket();
    let mut after = before.clone();
    after[0].etag = Some("new".into());
    after.retain(|e| !e.key.starts_with("root") && !e.key.ends_with("segment_02.mp4"));
    after.push(obj("carol/carol-2024-01-01_00-00-00.mp4", 5));
    let plan = plan(&state_of(&before), &after);
    assert_eq!((plan.additions.new_videos, plan.additions.changed_videos), (1, 1));
    assert_eq!(plan.removals.videos, ["root-2023-05-05_05-05-05.mp4"]);
    assert_eq!(plan.removals.segments, ["previews/2024-02-20_14-30-00/segment_02.mp4"]);
    assert!(!plan.removals.removes_most_of_the_library());
}

#[test]
fn an_empty_listing_would_remove_most_of_the_library() {
    let plan = plan(&state_of(&bucket()), &[]);
    assert_eq!(plan.removals.videos.len(), 4);
    assert!(plan.removals.removes_most_of_the_library());
}

#[test]
fn a_key_listed_twice_counts_once_even_across_batches() {
    let listing = bucket();
    let mut seen = Seen::default();
    let first = additions(&CatalogState::default(), &listing, &mut seen);
    let again = additions(&CatalogState::default(), &listing[..1], &mut seen);
    assert_eq!((first.upsert_videos.len(), again.upsert_videos.len()), (4, 0));
}

#[test]
fn videos_under_an_unreadable_folder_are_kept() {
    let listing = bucket();
    let mut seen = Seen::default();
    let without_alice: Vec<ObjectEntry> = listing
        .iter()
        .filter(|e| !e.key.starts_with("alice/"))
        .cloned()
        .collect();
    additions(&state_of(&listing), &without_alice, &mut seen);
    let removals = removals(&state_of(&listing), &seen, &["alice/".to_owned()]);
    assert!(removals.videos.is_empty(), "{removals:?}");
    assert_eq!(removals.unknown, 1);
}

#[test]
fn a_missing_video_listed_again_is_found_again() {
    let listing = bucket();
    let alice = &listing[0];
    let mut state = CatalogState::default();
    state.add_video(
        alice.key.clone(),
        KnownVideo {
            size: alice.size,
            last_modified: alice.last_modified,
            etag: alice.etag.clone(),
            missing: true,
            unread: false,
        },
    );
    add_listing(&mut state, &listing);
    let plan = plan(&state, &listing);
    assert_eq!(plan.additions.found_again, ["alice/alice-2024-02-20_14-30-00.mp4"]);
    assert!(plan.additions.upsert_videos.is_empty());
}

/// Applies a whole plan as a sync does: additions, then removals.
fn apply_plan(catalog: &Catalog, plan: &Plan, options: SyncOptions) -> (Added, Removed) {
    let added = apply_additions(catalog, &plan.additions, options.batch).unwrap();
    let removed = apply_removals(catalog, &plan.removals, options.prune_all, options.batch, 42).unwrap();
    (added, removed)
}

fn data_version(path: &std::path::Path) -> (rusqlite::Connection, impl Fn(&rusqlite::Connection) -> i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    (conn, |c: &rusqlite::Connection| {
        c.pragma_query_value(None, "data_version", |r| r.get(0)).unwrap()
    })
}

#[test]
fn applying_in_small_batches_then_resyncing_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(dir.path().join("c.sqlite")).unwrap();
    let options = SyncOptions {
        batch: 2,
        ..SyncOptions::default()
    };
    let (added, _) = apply_plan(&catalog, &plan(&catalog_state(&catalog).unwrap(), &bucket()), options);
    assert_eq!((added.videos_added, added.segments_written), (4, 3));
    let detail = catalog.video("alice/alice-2024-02-20_14-30-00.mp4").unwrap().unwrap();
    assert_eq!(detail.preview_segments.len(), 2);

    let (watcher, version) = data_version(catalog.path());
    let before = version(&watcher);
    let again = plan(&catalog_state(&catalog).unwrap(), &bucket());
    assert!(again.is_empty());
    apply_plan(&catalog, &again, options);
    assert_eq!(version(&watcher), before, "a no-op sync committed something");
}

#[test]
fn removal_of_most_of_the_library_marks_missing_until_prune_all_and_user_state_survives() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(dir.path().join("c.sqlite")).unwrap();
    let key = "alice/alice-2024-02-20_14-30-00.mp4";
    apply_plan(
        &catalog,
        &plan(&catalog_state(&catalog).unwrap(), &bucket()),
        SyncOptions::default(),
    );
    catalog.set_favorite(key, true).unwrap();

    let empty = plan(&catalog_state(&catalog).unwrap(), &[]);
    let (_, held) = apply_plan(&catalog, &empty, SyncOptions::default());
    assert_eq!((held.videos_removed, held.marked_missing), (0, 4));
    let kept = catalog.video(key).unwrap().unwrap().summary;
    assert_eq!(kept.missing_since, Some(42), "kept and marked missing");
    let missing = catalog
        .count(&crate::catalog::query::Filter {
            missing_only: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(missing, 4);

    // Listed again: no longer missing.
    let back = plan(&catalog_state(&catalog).unwrap(), &bucket());
    assert_eq!(back.additions.found_again.len(), 4);
    apply_plan(&catalog, &back, SyncOptions::default());
    assert_eq!(catalog.video(key).unwrap().unwrap().summary.missing_since, None);

    let (_, pruned) = apply_plan(
        &catalog,
        &plan(&catalog_state(&catalog).unwrap(), &[]),
        SyncOptions {
            prune_all: true,
            ..SyncOptions::default()
        },
    );
    assert_eq!((pruned.videos_removed, pruned.segments_removed), (4, 3));
    assert!(catalog.video(key).unwrap().is_none());

    // Back in the bucket: back with its favorite.
    apply_plan(
        &catalog,
        &plan(&catalog_state(&catalog).unwrap(), &bucket()),
        SyncOptions::default(),
    );
    assert!(catalog.video(key).unwrap().unwrap().summary.favorite);
}

/// A folder laid out like a bucket, on disk.
fn write_files(root: &std::path::Path, keys: &[&str]) {
    for key in keys {
        let path = root.join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, key.as_bytes()).unwrap();
    }
}

fn folder_source(root: &std::path::Path) -> Source {
    let settings = SourceSettings::Folder(FolderSettings {
        path: root.to_path_buf(),
    });
    Source::connect("Test", &settings, None, &ConnectOptions::default()).unwrap()
}

async fn sync_folder(catalog: &Arc<Catalog>, source: &Source) -> Result<SyncReport, SyncError> {
    sync(
        catalog,
        source,
        SyncOptions::default(),
        Arc::new(|_| {}),
        &CancellationToken::new(),
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_syncs_like_a_bucket_and_a_second_sync_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("library");
    write_files(
        &root,
        &[
            "alice/alice-2024-02-20_14-30-00.mp4",
            "previews/2024-02-20_14-30-00/segment_01.mp4",
            "previews/2024-02-20_14-30-00/segment_02.mp4",
            "previewsbob/previewsbob-2024-01-01_00-00-00.mp4",
            "bob clip/Holiday at the beach (1) copy.mp4",
            "ÆØÅ créatrice/ÆØÅ créatrice-2024-03-03_03-03-03.mkv",
            "previews/ÆØÅ créatrice-2024-03-03_03-03-03/segment_1.mp4",
            "alice/cover.jpg",
            "notes.txt",
            ".hidden/secret-2024-01-01_00-00-00.mp4",
            "alice/._alice-2024-02-20_14-30-00.mp4",
            "root-2023-05-05_05-05-05.mp4",
        ],
    );
    #[cfg(unix)]
    {
        // A link out of the folder is left out; a link to a file inside is that file.
        std::os::unix::fs::symlink(dir.path(), root.join("outside")).unwrap();
        std::fs::write(dir.path().join("out-2024-01-01_00-00-00.mp4"), b"x").unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("out-2024-01-01_00-00-00.mp4"),
            root.join("alice/out-2024-01-01_00-00-00.mp4"),
        )
        .unwrap();
        std::os::unix::fs::symlink(
            root.join("alice/alice-2024-02-20_14-30-00.mp4"),
            root.join("alice/alias-2024-02-21_00-00-00.mp4"),
        )
        .unwrap();
    }
    let catalog = Arc::new(Catalog::open(dir.path().join("c.sqlite")).unwrap());
    let source = folder_source(&root);
    let report = sync_folder(&catalog, &source).await.unwrap();
    let mut keys: Vec<String> = catalog
        .page(&crate::catalog::query::PageRequest {
            filter: Default::default(),
            sort: crate::catalog::query::Sort {
                key: crate::catalog::query::SortKey::Name,
                direction: crate::catalog::query::Direction::Asc,
            },
            limit: 100,
            after: None,
        })
        .unwrap()
        .items
        .into_iter()
        .map(|v| v.key)
        .collect();
    keys.sort();
    let mut expected = vec![
        "alice/alice-2024-02-20_14-30-00.mp4",
        "bob clip/Holiday at the beach (1) copy.mp4",
        "previewsbob/previewsbob-2024-01-01_00-00-00.mp4",
        "root-2023-05-05_05-05-05.mp4",
        "ÆØÅ créatrice/ÆØÅ créatrice-2024-03-03_03-03-03.mkv",
    ];
    if cfg!(unix) {
        expected.push("alice/alias-2024-02-21_00-00-00.mp4");
    }
    expected.sort();
    assert_eq!(keys, expected);
    assert_eq!(report.segments_listed, 3);
    let alice = catalog.video("alice/alice-2024-02-20_14-30-00.mp4").unwrap().unwrap();
    assert_eq!(alice.preview_segments.len(), 2);
    assert!(report.objects_skipped >= if cfg!(unix) { 2 } else { 0 }, "{report:?}");
    assert_eq!(
        catalog.last_sync().unwrap().unwrap().objects_listed,
        report.objects_listed
    );

    let (watcher, version) = data_version(catalog.path());
    let before = version(&watcher);
    let again = sync_folder(&catalog, &source).await.unwrap();
    assert_eq!(
        (again.videos_added, again.videos_updated, again.videos_removed),
        (0, 0, 0)
    );
    assert_eq!(version(&watcher), before, "a no-op sync committed something");

    // A changed file (size) is updated; a removed one removed; a user's favorite stays.
    catalog.set_favorite("root-2023-05-05_05-05-05.mp4", true).unwrap();
    std::fs::write(root.join("root-2023-05-05_05-05-05.mp4"), b"longer than before").unwrap();
    std::fs::remove_file(root.join("bob clip/Holiday at the beach (1) copy.mp4")).unwrap();
    let third = sync_folder(&catalog, &source).await.unwrap();
    assert_eq!((third.videos_updated, third.videos_removed), (1, 1));
    let root_video = catalog.video("root-2023-05-05_05-05-05.mp4").unwrap().unwrap();
    assert_eq!(root_video.summary.size, 18);
    assert!(root_video.summary.favorite);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_folder_keeps_its_videos() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("library");
    write_files(
        &root,
        &["alice/alice-2024-02-20_14-30-00.mp4", "bob/bob-2024-02-20_14-30-00.mp4"],
    );
    let catalog = Arc::new(Catalog::open(dir.path().join("c.sqlite")).unwrap());
    let source = folder_source(&root);
    sync_folder(&catalog, &source).await.unwrap();
    std::fs::set_permissions(root.join("bob"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_as_root = std::fs::read_dir(root.join("bob")).is_ok();
    let report = sync_folder(&catalog, &source).await.unwrap();
    std::fs::set_permissions(root.join("bob"), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(report.videos_removed, 0, "{report:?}");
    assert!(catalog.video("bob/bob-2024-02-20_14-30-00.mp4").unwrap().is_some());
    if !readable_as_root {
        assert_eq!(report.videos_unknown, 1, "{report:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_sync_removes_nothing_and_says_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("library");
    let keys: Vec<String> = (0..3000)
        .map(|i| {
            format!(
                "c{}/c{}-2024-01-01_00-{:02}-{:02}.mp4",
                i % 7,
                i % 7,
                (i / 60) % 60,
                i % 60
            )
        })
        .collect();
    write_files(&root, &keys.iter().map(String::as_str).collect::<Vec<_>>());
    let catalog = Arc::new(Catalog::open(dir.path().join("c.sqlite")).unwrap());
    let source = folder_source(&root);
    sync_folder(&catalog, &source).await.unwrap();
    let before = catalog.count(&Default::default()).unwrap();
    // Everything gone from the folder, and the sync cancelled at its first page: nothing
    // may be removed.
    std::fs::remove_dir_all(&root).unwrap();
    write_files(&root, &["new/new-2024-06-01_00-00-00.mp4"]);
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    let seen = Arc::new(Mutex::new(0));
    let counted = seen.clone();
    let result = sync(
        &catalog,
        &source,
        SyncOptions::default(),
        Arc::new(move |_| {
            *counted.lock().unwrap() += 1;
            stop.cancel();
        }),
        &cancel,
    )
    .await;
    match result {
        Err(SyncError::Cancelled { written }) => assert!(written.videos_removed == 0),
        other => panic!("not cancelled: {other:?}"),
    }
    assert!(catalog.count(&Default::default()).unwrap() >= before);
}

/// A folder lists faster than rows are written one by one: after its first batch, a
/// first sync loads the rest in bulk, and the catalog is as whole as row by row would
/// leave it (counters, search, user state waiting for its video).
#[tokio::test(flavor = "multi_thread")]
async fn a_first_sync_of_a_big_folder_loads_in_bulk_and_misses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("library");
    let videos = 7_000;
    let keys: Vec<String> = (0..videos)
        .map(|i| {
            format!(
                "c{}/c{}-2024-01-{:02}_{:02}-{:02}-{:02}.mp4",
                i % 11,
                i % 11,
                1 + i / 3600,
                (i / 60) % 60,
                i % 60,
                0
            )
        })
        .collect();
    let mut files: Vec<String> = keys.clone();
    // Every other video has a preview segment, in a folder named by its stem: enough
    // for the segments to take the bulk path too.
    let segments: Vec<String> = keys
        .iter()
        .step_by(2)
        .map(|k| format!("previews/{}/segment_1.mp4", file_name(k).trim_end_matches(".mp4")))
        .collect();
    files.extend(segments.iter().cloned());
    write_files(&root, &files.iter().map(String::as_str).collect::<Vec<_>>());
    let catalog = Arc::new(Catalog::open(dir.path().join("c.sqlite")).unwrap());
    let waiting: String = "1".repeat(100);
    catalog
        .import_predictions(format!("{{\"key\":\"{}\",\"prediction\":\"{waiting}\"}}\n", keys[4321]).as_bytes())
        .unwrap();
    let report = sync_folder(&catalog, &folder_source(&root)).await.unwrap();
    assert_eq!(
        (report.videos_added, report.segments_written),
        (videos as u64, segments.len() as u64)
    );
    assert_eq!(catalog.count(&Default::default()).unwrap(), videos as u64);
    let per_creator: u64 = catalog.creators().unwrap().iter().map(|c| c.videos).sum();
    assert_eq!(per_creator, videos as u64, "the creator counters after the bulk load");
    let searched = catalog
        .count(&crate::catalog::query::Filter {
            search: Some("c10-2024".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(searched, keys.iter().filter(|k| k.contains("c10-2024")).count() as u64);
    assert_eq!(catalog.video(&keys[4321]).unwrap().unwrap().summary.quality, Some(100));
    assert_eq!(catalog.video(&keys[0]).unwrap().unwrap().preview_segments.len(), 1);
    assert_eq!(catalog.video(&keys[6998]).unwrap().unwrap().preview_segments.len(), 1);
    assert!(catalog.video(&keys[6999]).unwrap().unwrap().preview_segments.is_empty());
    let folder_index: bool = catalog
        .reader()
        .unwrap()
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'preview_segments_by_folder')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(folder_index, "the segments' folder index is not back");
    let plan = catalog
        .explain_page(&crate::catalog::query::PageRequest {
            filter: Default::default(),
            sort: Default::default(),
            limit: 60,
            after: None,
        })
        .unwrap();
    assert!(!plan.contains("TEMP B-TREE"), "the indexes are not back:\n{plan}");
}
