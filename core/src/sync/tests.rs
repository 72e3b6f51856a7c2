//! The plan and its application, without a server.

use super::*;

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
    for e in listing {
        let value = (e.size, e.last_modified, e.etag.clone());
        match classify(&e.key) {
            ObjectKind::Video(_) => state.videos.insert(e.key.clone(), value),
            ObjectKind::PreviewSegment(_) => state.segments.insert(e.key.clone(), value),
            ObjectKind::Other => None,
        };
    }
    state
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
    let keys: Vec<&str> = plan.upsert_videos.iter().map(|v| v.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "alice/alice-2024-02-20_14-30-00.mp4",
            "previewsbob/previewsbob-2024-01-01_00-00-00.mp4",
            "root-2023-05-05_05-05-05.mp4",
            "ÆØÅ/ÆØÅ-2024-03-03_03-03-03.mkv"
        ]
    );
    assert_eq!(
        (plan.new_videos, plan.changed_videos, plan.upsert_segments.len()),
        (4, 0, 3)
    );
    assert_eq!(plan.upsert_segments[0].folder, "2024-02-20_14-30-00");
    assert_eq!(
        (
            plan.other_objects,
            plan.videos_without_previews,
            plan.unlinked_preview_folders
        ),
        (2, 3, 1)
    );
    assert!(plan.remove_videos.is_empty() && !plan.removes_most_of_the_library());
}

#[test]
fn an_unchanged_bucket_plans_nothing() {
    let listing = bucket();
    let plan = plan(&state_of(&listing), &listing);
    assert!(plan.is_empty(), "{plan:?}");
    assert_eq!(plan.listed_videos, 4);
}

#[test]
fn changed_and_vanished_objects_are_updated_and_removed() {
    let before = bucket();
    let mut after = before.clone();
    after[0].etag = Some("new".into());
    after.retain(|e| !e.key.starts_with("root") && !e.key.ends_with("segment_02.mp4"));
    after.push(obj("carol/carol-2024-01-01_00-00-00.mp4", 5));
    let plan = plan(&state_of(&before), &after);
    assert_eq!((plan.new_videos, plan.changed_videos), (1, 1));
    assert_eq!(plan.remove_videos, ["root-2023-05-05_05-05-05.mp4"]);
    assert_eq!(plan.remove_segments, ["previews/2024-02-20_14-30-00/segment_02.mp4"]);
    assert!(!plan.removes_most_of_the_library());
}

#[test]
fn an_empty_listing_would_remove_most_of_the_library() {
    let plan = plan(&state_of(&bucket()), &[]);
    assert_eq!(plan.remove_videos.len(), 4);
    assert!(plan.removes_most_of_the_library());
}

#[test]
fn a_key_listed_twice_counts_once() {
    let mut listing = bucket();
    listing.push(listing[0].clone());
    let plan = plan(&CatalogState::default(), &listing);
    assert_eq!(plan.upsert_videos.len(), 4);
}

fn apply_plan(catalog: &Catalog, plan: &Plan, options: SyncOptions) -> SyncReport {
    let mut report = SyncReport::default();
    apply(catalog, plan, &options, &mut report, &|_| {}).unwrap();
    report
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
    let report = apply_plan(&catalog, &plan(&catalog_state(&catalog).unwrap(), &bucket()), options);
    assert_eq!((report.videos_added, report.segments_written), (4, 3));
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
fn removal_of_most_of_the_library_waits_for_prune_all_and_user_state_survives() {
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
    let held = apply_plan(&catalog, &empty, SyncOptions::default());
    assert_eq!((held.videos_removed, held.removal_held_back), (0, 4));
    assert!(held.summary().contains("--prune-all"), "{}", held.summary());
    assert!(catalog.video(key).unwrap().is_some());

    let pruned = apply_plan(
        &catalog,
        &empty,
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
