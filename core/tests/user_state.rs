//! What the user owns survives everything but their own delete, and bad input changes
//! nothing.

use m3u8v_core::{Catalog, Filter, InitialState, Mark, MutateError, NewVideo, PageRequest, Selection, Sort};

fn catalog() -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(dir.path().join("catalog.sqlite")).unwrap();
    (dir, catalog)
}

fn video(key: &str) -> NewVideo {
    NewVideo {
        key: key.into(),
        size: 100,
        last_modified: 1_700_000_000_000,
        etag: None,
        initial: InitialState::default(),
    }
}

const KEY: &str = "alice/alice-2024-02-20_14-30-00.mp4";
const PREDICTION: &str =
    "1111100000111110000011111000001111100000111110000011111000001111100000111110000011111000001111100000";

#[test]
fn favorite_seen_position_and_prediction_come_back_with_a_removed_video() {
    let (dir, catalog) = catalog();
    catalog.upsert_videos(&[video(KEY)]).unwrap();
    catalog.set_favorite(KEY, true).unwrap();
    let seen_at = catalog.mark_seen(KEY).unwrap();
    catalog.save_position(KEY, 123.5, None).unwrap();
    catalog.set_prediction(KEY, PREDICTION).unwrap();

    // A sync that (wrongly) listed nothing removes the row...
    rusqlite::Connection::open(dir.path().join("catalog.sqlite"))
        .unwrap()
        .execute("DELETE FROM videos", [])
        .unwrap();
    assert!(catalog.video(KEY).unwrap().is_none());
    assert_eq!(
        catalog
            .count(&Filter {
                favorites_only: true,
                ..Filter::default()
            })
            .unwrap(),
        0
    );

    // ...and the next one brings it back with everything the user had.
    catalog.upsert_videos(&[video(KEY)]).unwrap();
    let back = catalog.video(KEY).unwrap().unwrap().summary;
    assert!(back.favorite);
    assert_eq!(back.seen_at, Some(seen_at));
    assert_eq!(back.position, 123.5);
    assert_eq!(back.prediction.as_deref(), Some(PREDICTION));
    assert_eq!(back.quality, Some(50));
    assert_eq!(
        catalog
            .count(&Filter {
                favorites_only: true,
                ..Filter::default()
            })
            .unwrap(),
        1
    );
    assert_eq!(
        catalog
            .count(&Filter {
                unseen_only: true,
                ..Filter::default()
            })
            .unwrap(),
        0
    );
}

#[test]
fn state_comes_back_through_the_bulk_load_too() {
    let (dir, catalog) = catalog();
    const MARKED: &str = "alice/alice-2024-02-21_10-00-00.mp4";
    catalog.upsert_videos(&[video(KEY), video(MARKED)]).unwrap();
    catalog.set_favorite(KEY, true).unwrap();
    let marked = Selection::Keys {
        keys: vec![MARKED.into()],
    };
    assert_eq!(catalog.mark_selection(&marked, Mark::Seen).unwrap(), 1);
    let marked_at = catalog.video(MARKED).unwrap().unwrap().summary.marked_seen_at;
    assert!(marked_at.is_some());
    rusqlite::Connection::open(dir.path().join("catalog.sqlite"))
        .unwrap()
        .execute("DELETE FROM videos", [])
        .unwrap();
    // Empty catalog: this takes the bulk path, which runs without the per-row triggers.
    catalog
        .load_videos([video(KEY), video(MARKED), video("bob/b.mp4")], |_| {})
        .unwrap();
    assert!(catalog.video(KEY).unwrap().unwrap().summary.favorite);
    // The mark came back, and the counters count it seen.
    assert_eq!(
        catalog.video(MARKED).unwrap().unwrap().summary.marked_seen_at,
        marked_at
    );
    let creators = catalog.creators().unwrap();
    assert_eq!(
        creators
            .iter()
            .map(|c| (c.name.as_str(), c.videos, c.favorites, c.unseen))
            .collect::<Vec<_>>(),
        [("alice", 2, 1, 1), ("bob", 1, 0, 1)]
    );
    // The search index was rebuilt and the triggers are back.
    let search = Filter {
        search: Some("bob/b.m".into()),
        ..Filter::default()
    };
    assert_eq!(catalog.count(&search).unwrap(), 1);
    catalog.upsert_videos(&[video("bob/bob two.mp4")]).unwrap();
    assert_eq!(catalog.count(&search).unwrap(), 1);
    assert_eq!(
        catalog
            .count(&Filter {
                search: Some("two".into()),
                ..Filter::default()
            })
            .unwrap(),
        1
    );
}

#[test]
fn a_changed_object_keeps_its_user_state() {
    let (_dir, catalog) = catalog();
    catalog.upsert_videos(&[video(KEY)]).unwrap();
    catalog.set_favorite(KEY, true).unwrap();
    let changed = NewVideo {
        size: 999,
        etag: Some("\"new\"".into()),
        ..video(KEY)
    };
    let done = catalog.upsert_videos(std::slice::from_ref(&changed)).unwrap();
    assert_eq!((done.inserted, done.updated, done.unchanged), (0, 1, 0));
    let v = catalog.video(KEY).unwrap().unwrap();
    assert_eq!(
        (v.summary.size, v.summary.favorite, v.etag.as_deref()),
        (999, true, Some("\"new\""))
    );
    assert_eq!(catalog.upsert_videos(&[changed]).unwrap().unchanged, 1);
}

#[test]
fn bad_input_is_a_typed_error_and_changes_nothing() {
    let (_dir, catalog) = catalog();
    catalog.upsert_videos(&[video(KEY)]).unwrap();
    let before = catalog.video(KEY).unwrap();

    assert!(matches!(
        catalog.set_favorite("nobody/x.mp4", true),
        Err(MutateError::NoSuchVideo(_))
    ));
    assert!(matches!(
        catalog.set_prediction(KEY, "0101"),
        Err(MutateError::InvalidPrediction(_))
    ));
    assert!(matches!(
        catalog.set_prediction(KEY, &"2".repeat(100)),
        Err(MutateError::InvalidPrediction(_))
    ));
    assert!(matches!(
        catalog.save_position(KEY, -1.0, None),
        Err(MutateError::InvalidPosition(_))
    ));
    assert!(matches!(
        catalog.save_position(KEY, f64::NAN, None),
        Err(MutateError::InvalidPosition(_))
    ));
    assert!(matches!(
        catalog.save_position(KEY, f64::INFINITY, None),
        Err(MutateError::InvalidPosition(_))
    ));
    assert!(catalog.upsert_videos(&[video("notes.txt")]).is_err());
    assert!(
        catalog
            .upsert_videos(&[NewVideo {
                initial: InitialState {
                    prediction: "x".into(),
                    ..InitialState::default()
                },
                ..video("a/b.mp4")
            }])
            .is_err()
    );

    assert_eq!(catalog.video(KEY).unwrap(), before);
    assert_eq!(
        catalog.count(&Filter::default()).unwrap(),
        1,
        "a failed batch lands nothing"
    );
    let page = catalog
        .page(&PageRequest {
            filter: Filter::default(),
            sort: Sort::default(),
            limit: 10,
            after: None,
        })
        .unwrap();
    assert_eq!(page.items.len(), 1);
}

#[test]
fn predictions_import_applies_the_good_lines_and_numbers_the_bad() {
    let (_dir, catalog) = catalog();
    catalog.upsert_videos(&[video(KEY), video("bob/b.mp4")]).unwrap();
    let zeros = "0".repeat(100);
    let csv = format!(
        "key,prediction\n{KEY},{PREDICTION}\nbob/b.mp4,0101\n\"later/with, comma.mp4\",{zeros}\nonly-one-field\n,{zeros}\n"
    );
    let report = catalog.import_predictions(csv.as_bytes()).unwrap();
    assert_eq!((report.applied, report.pending), (1, 1));
    assert_eq!(
        report.bad_lines.iter().map(|b| b.line).collect::<Vec<_>>(),
        [3, 5, 6],
        "{:?}",
        report.bad_lines
    );
    assert!(
        report.bad_lines[0].reason.contains("4 characters"),
        "{}",
        report.bad_lines[0].reason
    );
    assert_eq!(catalog.video(KEY).unwrap().unwrap().summary.quality, Some(50));
    assert_eq!(catalog.video("bob/b.mp4").unwrap().unwrap().summary.prediction, None);

    // The kept prediction reaches the video when a sync brings it.
    catalog.upsert_videos(&[video("later/with, comma.mp4")]).unwrap();
    assert_eq!(
        catalog
            .video("later/with, comma.mp4")
            .unwrap()
            .unwrap()
            .summary
            .prediction
            .as_deref(),
        Some(zeros.as_str())
    );

    let jsonl =
        format!("{{\"key\":\"bob/b.mp4\",\"prediction\":\"{PREDICTION}\"}}\n\nnot json\n{{\"key\":\"bob/b.mp4\"}}\n");
    let report = catalog.import_predictions(jsonl.as_bytes()).unwrap();
    assert_eq!(report.applied, 1);
    assert_eq!(report.bad_lines.iter().map(|b| b.line).collect::<Vec<_>>(), [3, 4]);
}

#[test]
fn preview_segments_are_found_by_stem_or_by_stamp_in_natural_order() {
    let (dir, catalog) = catalog();
    catalog
        .upsert_videos(&[video(KEY), video("bob/bob-2024-02-20_14-30-00.mp4")])
        .unwrap();
    let raw = rusqlite::Connection::open(dir.path().join("catalog.sqlite")).unwrap();
    for (key, folder) in [
        ("previews/2024-02-20_14-30-00/segment_10.mp4", "2024-02-20_14-30-00"),
        ("previews/2024-02-20_14-30-00/segment_2.mp4", "2024-02-20_14-30-00"),
        (
            "previews/alice-2024-02-20_14-30-00/segment_1.mp4",
            "alice-2024-02-20_14-30-00",
        ),
    ] {
        raw.execute(
            "INSERT INTO preview_segments (key, folder, size, last_modified) VALUES (?, ?, 1, 1)",
            [key, folder],
        )
        .unwrap();
    }
    assert_eq!(
        catalog.video(KEY).unwrap().unwrap().preview_segments,
        ["previews/alice-2024-02-20_14-30-00/segment_1.mp4"]
    );
    assert_eq!(
        catalog
            .video("bob/bob-2024-02-20_14-30-00.mp4")
            .unwrap()
            .unwrap()
            .preview_segments,
        [
            "previews/2024-02-20_14-30-00/segment_2.mp4",
            "previews/2024-02-20_14-30-00/segment_10.mp4"
        ]
    );
}

#[test]
fn a_bulk_load_that_fails_part_way_leaves_the_catalog_as_it_was() {
    let (dir, catalog) = catalog();
    let schema = |dir: &tempfile::TempDir| -> Vec<String> {
        let raw = rusqlite::Connection::open(dir.path().join("catalog.sqlite")).unwrap();
        let mut stmt = raw
            .prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'videos' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let before = schema(&dir);
    assert!(before.len() > 20, "{before:?}");
    let many = (0..25_000).map(|i| video(&format!("c{}/v{i}.mp4", i % 7)));
    let err = catalog
        .load_videos(many.chain([video("not a video.txt")]), |_| {})
        .unwrap_err();
    assert!(err.to_string().contains("not a video key"), "{err}");
    assert_eq!(schema(&dir), before, "indexes and triggers are all there");
    assert_eq!(catalog.count(&Filter::default()).unwrap(), 0);
    assert!(catalog.creators().unwrap().is_empty());
    // And the next load completes.
    catalog.load_videos([video(KEY)], |_| {}).unwrap();
    assert_eq!(catalog.count(&Filter::default()).unwrap(), 1);
}

#[test]
fn a_key_listed_twice_in_a_bulk_load_is_one_video() {
    let (_dir, catalog) = catalog();
    let done = catalog
        .load_videos([video(KEY), video("bob/b.mp4"), video(KEY)], |_| {})
        .unwrap();
    assert_eq!((done.inserted, done.unchanged), (2, 1));
    assert_eq!(catalog.count(&Filter::default()).unwrap(), 2);
    assert_eq!(catalog.creators().unwrap().iter().map(|c| c.videos).sum::<u64>(), 2);
}

#[test]
fn a_video_watched_to_the_end_leaves_continue_watching_and_a_half_watched_one_stays() {
    let (_dir, catalog) = catalog();
    let (half, done, untouched) = ("a/half.mp4", "a/done.mp4", "a/new.mp4");
    catalog
        .upsert_videos(&[video(half), video(done), video(untouched)])
        .unwrap();
    catalog.mark_seen(half).unwrap();
    catalog.mark_seen(done).unwrap();
    assert_eq!(catalog.save_position(half, 50.0, Some(100.0)).unwrap(), 50.0);
    // 96 of 100 s is past 95%: finished, so it starts over next time.
    assert_eq!(catalog.save_position(done, 96.0, Some(100.0)).unwrap(), 0.0);
    // Without a known length the position is kept as given.
    assert_eq!(catalog.save_position(untouched, 99.0, None).unwrap(), 99.0);
    assert_eq!(catalog.save_position(untouched, 0.0, Some(f64::NAN)).unwrap(), 0.0);
    let in_progress = Filter {
        in_progress_only: true,
        ..Filter::default()
    };
    let page = catalog
        .page(&PageRequest {
            filter: in_progress.clone(),
            sort: Sort::default(),
            limit: 10,
            after: None,
        })
        .unwrap();
    assert_eq!(page.items.iter().map(|v| v.key.as_str()).collect::<Vec<_>>(), [half]);
    assert_eq!(catalog.count(&in_progress).unwrap(), 1);
    assert_eq!(catalog.video(done).unwrap().unwrap().summary.position, 0.0);
}
