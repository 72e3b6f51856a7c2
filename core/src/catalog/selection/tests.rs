use super::*;
use crate::catalog::ingest::{InitialState, NewVideo};
use crate::catalog::query::{PageRequest, Sort};

fn video(key: &str, size: u64, favorite: bool, seen_at: i64) -> NewVideo {
    NewVideo {
        key: key.into(),
        size,
        last_modified: 1_700_000_000_000,
        etag: None,
        initial: InitialState {
            favorite,
            seen_at,
            position: 0.0,
            prediction: String::new(),
        },
    }
}

/// alice: 3 unseen and 1 seen long ago; bob: 2 unseen, one a favorite.
fn catalog() -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(dir.path().join("c.sqlite")).unwrap();
    catalog
        .upsert_videos(&[
            video("alice/a1.mp4", 10, false, 0),
            video("alice/a2.mp4", 20, false, 0),
            video("alice/a3.mp4", 30, false, 0),
            video("alice/a4.mp4", 40, false, 1_000),
            video("bob/b1.mp4", 100, true, 0),
            video("bob/b2.mp4", 200, false, 0),
        ])
        .unwrap();
    (dir, catalog)
}

fn counts(catalog: &Catalog, name: &str) -> (u64, u64, u64) {
    let c = catalog
        .creators()
        .unwrap()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap();
    (c.videos, c.favorites, c.unseen)
}

fn keys_where(catalog: &Catalog, filter: Filter) -> Vec<String> {
    catalog
        .page(&PageRequest {
            filter,
            sort: Sort::default(),
            limit: 1000,
            after: None,
        })
        .unwrap()
        .items
        .into_iter()
        .map(|v| v.key)
        .collect()
}

fn of_creator(name: &str) -> Filter {
    Filter {
        creators: vec![name.into()],
        ..Filter::default()
    }
}

#[test]
fn marking_a_filter_seen_changes_exactly_its_unseen_videos_and_the_counters_follow() {
    let (_dir, catalog) = catalog();
    let selection = Selection::Matching {
        filter: Filter {
            unseen_only: true,
            ..of_creator("alice")
        },
        except: vec![],
    };
    assert_eq!(catalog.mark_selection(&selection, Mark::Seen).unwrap(), 3);
    assert_eq!(counts(&catalog, "alice"), (4, 0, 0));
    assert_eq!(counts(&catalog, "bob"), (2, 1, 2), "another creator is untouched");
    assert_eq!(
        catalog
            .count(&Filter {
                unseen_only: true,
                ..Filter::default()
            })
            .unwrap(),
        2
    );
    // The video seen before keeps when it was seen.
    assert_eq!(
        catalog.video("alice/a4.mp4").unwrap().unwrap().summary.seen_at,
        Some(1_000)
    );
    // Done again, nothing is left to change.
    assert_eq!(catalog.mark_selection(&selection, Mark::Seen).unwrap(), 0);
}

#[test]
fn a_mark_is_not_a_watch_and_unseen_clears_both() {
    let (_dir, catalog) = catalog();
    let summary = |key: &str| catalog.video(key).unwrap().unwrap().summary;
    let history = || {
        keys_where(
            &catalog,
            Filter {
                seen_only: true,
                ..Filter::default()
            },
        )
    };
    let unseen = || {
        keys_where(
            &catalog,
            Filter {
                unseen_only: true,
                ..of_creator("alice")
            },
        )
    };
    let two = Selection::Keys {
        keys: vec!["alice/a1.mp4".into(), "alice/a4.mp4".into()],
    };
    // alice/a4 was watched: only a1 is marked.
    assert_eq!(catalog.mark_selection(&two, Mark::Seen).unwrap(), 1);
    let a1 = summary("alice/a1.mp4");
    assert_eq!(a1.seen_at, None, "a mark is not a watch");
    assert!(a1.marked_seen_at.is_some());
    assert_eq!(summary("alice/a4.mp4").marked_seen_at, None);
    assert_eq!(unseen(), ["alice/a3.mp4", "alice/a2.mp4"]);
    assert_eq!(history(), ["alice/a4.mp4"], "the history holds what was played");
    assert_eq!(counts(&catalog, "alice"), (4, 0, 2));

    // Watched after being marked: in the history too, and still not unseen.
    let watched = catalog.mark_seen("alice/a1.mp4").unwrap();
    assert_eq!(summary("alice/a1.mp4").seen_at, Some(watched));
    assert_eq!(history().len(), 2);
    assert_eq!(counts(&catalog, "alice"), (4, 0, 2));

    // Unseen clears the watched time and the mark alike.
    assert_eq!(catalog.mark_selection(&two, Mark::Unseen).unwrap(), 2);
    let a1 = summary("alice/a1.mp4");
    assert_eq!((a1.seen_at, a1.marked_seen_at), (None, None));
    assert_eq!(unseen().len(), 4);
    assert!(history().is_empty());
    assert_eq!(counts(&catalog, "alice"), (4, 0, 4));

    // One video by key, marked and then made unseen.
    catalog.mark_selection(&two, Mark::Seen).unwrap();
    catalog.set_seen("alice/a1.mp4", None).unwrap();
    assert_eq!(summary("alice/a1.mp4").marked_seen_at, None);
    assert_eq!(counts(&catalog, "alice"), (4, 0, 3));
}

#[test]
fn the_keys_unticked_from_all_results_are_left_alone() {
    let (_dir, catalog) = catalog();
    let selection = Selection::Matching {
        filter: Filter::default(),
        except: vec!["alice/a2.mp4".into(), "bob/b2.mp4".into()],
    };
    assert_eq!(catalog.mark_selection(&selection, Mark::Favorite).unwrap(), 3);
    let favorites = keys_where(
        &catalog,
        Filter {
            favorites_only: true,
            ..Filter::default()
        },
    );
    let mut favorites = favorites;
    favorites.sort();
    assert_eq!(
        favorites,
        ["alice/a1.mp4", "alice/a3.mp4", "alice/a4.mp4", "bob/b1.mp4"]
    );
    assert_eq!(counts(&catalog, "alice").1, 3);
}

#[test]
fn a_list_of_keys_marks_those_it_names_and_skips_keys_the_catalog_lacks() {
    let (_dir, catalog) = catalog();
    let selection = Selection::Keys {
        keys: vec!["bob/b1.mp4".into(), "alice/a1.mp4".into(), "nobody/x.mp4".into()],
    };
    // bob/b1 is a favorite already: one change.
    assert_eq!(catalog.mark_selection(&selection, Mark::Unfavorite).unwrap(), 1);
    assert_eq!(counts(&catalog, "bob").1, 0);
    assert_eq!(catalog.mark_selection(&selection, Mark::Seen).unwrap(), 2);
    assert_eq!(catalog.mark_selection(&selection, Mark::Unseen).unwrap(), 2);
    assert_eq!(counts(&catalog, "alice").2, 3);
    assert_eq!(
        catalog.selection_keys(&selection).unwrap(),
        ["alice/a1.mp4", "bob/b1.mp4"]
    );
}

#[test]
fn a_selection_knows_its_count_and_total_size() {
    let (_dir, catalog) = catalog();
    let all_but_one = Selection::Matching {
        filter: of_creator("alice"),
        except: vec!["alice/a4.mp4".into()],
    };
    assert_eq!(
        catalog.selection_size(&all_but_one).unwrap(),
        SelectionSize { videos: 3, bytes: 60 }
    );
    let none = Selection::Keys { keys: vec![] };
    assert_eq!(
        catalog.selection_size(&none).unwrap(),
        SelectionSize { videos: 0, bytes: 0 }
    );
    assert_eq!(catalog.mark_selection(&none, Mark::Seen).unwrap(), 0);
    let nobody = Selection::Matching {
        filter: of_creator("nobody"),
        except: vec![],
    };
    assert_eq!(catalog.selection_size(&nobody).unwrap().videos, 0);
}

#[test]
fn a_bad_selection_is_a_typed_error_and_changes_nothing() {
    let (_dir, catalog) = catalog();
    let too_many = Selection::Keys {
        keys: (0..=MAX_KEYS).map(|i| format!("alice/{i}.mp4")).collect(),
    };
    assert!(matches!(
        catalog.mark_selection(&too_many, Mark::Seen),
        Err(SelectionError::TooManyKeys(n)) if n == MAX_KEYS + 1
    ));
    let contradiction = Selection::Matching {
        filter: Filter {
            seen_only: true,
            unseen_only: true,
            ..Filter::default()
        },
        except: vec![],
    };
    assert!(matches!(
        catalog.mark_selection(&contradiction, Mark::Favorite),
        Err(SelectionError::Query(QueryError::SeenAndUnseen))
    ));
    assert_eq!(counts(&catalog, "alice"), (4, 0, 3));
    assert_eq!(counts(&catalog, "bob"), (2, 1, 2));
}

#[test]
fn a_selection_reads_from_json_as_the_app_sends_it() {
    let all: Selection =
        serde_json::from_str(r#"{"kind":"matching","filter":{"unseenOnly":true},"except":["a/b.mp4"]}"#).unwrap();
    assert_eq!(
        all,
        Selection::Matching {
            filter: Filter {
                unseen_only: true,
                ..Filter::default()
            },
            except: vec!["a/b.mp4".into()],
        }
    );
    let some: Selection = serde_json::from_str(r#"{"kind":"keys","keys":["a/b.mp4"]}"#).unwrap();
    assert_eq!(
        some,
        Selection::Keys {
            keys: vec!["a/b.mp4".into()]
        }
    );
}

/// A creator's id, favorites, unseen and favorites-unseen.
type Counters = Vec<(i64, i64, i64, i64)>;

/// Each creator's counters as the triggers keep them, and as the rows say.
fn counters_and_truth(catalog: &Catalog) -> (Counters, Counters) {
    let conn = catalog.reader().unwrap();
    let read = |sql: &str| -> Counters {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    (
        read("SELECT id, favorites, unseen, favorites_unseen FROM creators WHERE videos > 0 ORDER BY id"),
        read(
            "SELECT creator_id, sum(favorite), sum(unseen), sum(favorite AND unseen) FROM \
             (SELECT creator_id, favorite, seen_at = 0 AND id NOT IN (SELECT video_id FROM seen_marks) AS unseen FROM videos) \
             GROUP BY creator_id ORDER BY creator_id",
        ),
    )
}

#[test]
fn a_big_mark_keeps_every_creator_counter_exact() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(dir.path().join("c.sqlite")).unwrap();
    catalog
        .fill_synthetic(
            crate::catalog::synth::SynthSpec {
                videos: 20_000,
                creators: 50,
                seed: 7,
            },
            |_| {},
        )
        .unwrap();
    let unseen = Filter {
        unseen_only: true,
        ..Filter::default()
    };
    let before = catalog.count(&unseen).unwrap();
    assert!(before > 5_000, "{before} unseen");
    let all_unseen = Selection::Matching {
        filter: unseen.clone(),
        except: vec![],
    };
    assert_eq!(catalog.mark_selection(&all_unseen, Mark::Seen).unwrap(), before);
    let (kept, truth) = counters_and_truth(&catalog);
    assert_eq!(kept, truth, "after marking seen");
    assert_eq!(catalog.count(&unseen).unwrap(), 0);

    let everything = Selection::Matching {
        filter: Filter::default(),
        except: vec![],
    };
    for mark in [Mark::Favorite, Mark::Unseen, Mark::Unfavorite, Mark::Seen, Mark::Unseen] {
        catalog.mark_selection(&everything, mark).unwrap();
        let (kept, truth) = counters_and_truth(&catalog);
        assert_eq!(kept, truth, "after {mark:?}");
    }
    // The row trigger is back: a single change still moves the counters.
    let key = catalog
        .page(&PageRequest {
            filter: Filter::default(),
            sort: Sort::default(),
            limit: 1,
            after: None,
        })
        .unwrap()
        .items[0]
        .key
        .clone();
    catalog.set_favorite(&key, true).unwrap();
    let (kept, truth) = counters_and_truth(&catalog);
    assert_eq!(kept, truth, "after one favorite");
}
