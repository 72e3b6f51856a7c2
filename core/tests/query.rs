//! The query engine against real catalog files: every page sequence equals the naive
//! answer, counts equal the rows, and every sort is read from an index.

use std::cmp::Ordering;

use m3u8v_core::catalog::fold::fold;
use m3u8v_core::catalog::ingest::shuffle_key;
use m3u8v_core::{
    Catalog, Direction, Filter, InitialState, Mark, NewVideo, PageRequest, QueryError, Selection, Sort, SortKey,
    SynthSpec, VideoSummary,
};
use proptest::prelude::*;

fn catalog() -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::open(dir.path().join("catalog.sqlite")).unwrap();
    (dir, catalog)
}

/// Every page of `request` from the first on.
fn all_pages(catalog: &Catalog, mut request: PageRequest) -> Vec<VideoSummary> {
    let mut out = Vec::new();
    loop {
        let page = catalog.page(&request).unwrap();
        assert!(page.items.len() <= request.limit as usize);
        out.extend(page.items);
        match page.next_cursor {
            Some(cursor) => request.after = Some(cursor),
            None => return out,
        }
    }
}

fn naive_matches(v: &VideoSummary, f: &Filter) -> bool {
    (f.creators.is_empty() || f.creators.contains(&v.creator))
        && (!f.favorites_only || v.favorite)
        && (!f.unseen_only || (v.seen_at.is_none() && v.marked_seen_at.is_none()))
        && (!f.seen_only || v.seen_at.is_some())
        && (!f.in_progress_only || v.position > 0.0)
        && f.search
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .is_none_or(|t| fold(&v.key).contains(&fold(t)))
        && (!f.missing_only || v.missing_since.is_some())
        && f.date_from.is_none_or(|from| v.date >= from)
        && f.date_to.is_none_or(|to| v.date < to)
        && f.min_quality
            .is_none_or(|q| q == 0 || v.quality.is_some_and(|have| have >= q))
}

fn naive_cmp(a: &VideoSummary, b: &VideoSummary, sort: Sort) -> Ordering {
    // Not scored comes after every score, whichever the direction.
    if sort.key == SortKey::Quality && a.quality.is_none() != b.quality.is_none() {
        return a.quality.is_none().cmp(&b.quality.is_none());
    }
    let ord = match sort.key {
        SortKey::Date => (a.date, a.id).cmp(&(b.date, b.id)),
        SortKey::Quality => (a.quality, a.date, a.id).cmp(&(b.quality, b.date, b.id)),
        SortKey::Size => (a.size, a.id).cmp(&(b.size, b.id)),
        SortKey::Name => a.key.cmp(&b.key),
        SortKey::Seen => (a.seen_at.unwrap_or(0), a.id).cmp(&(b.seen_at.unwrap_or(0), b.id)),
        SortKey::Shuffle => (shuffle_key(&a.key), a.id).cmp(&(shuffle_key(&b.key), b.id)),
    };
    if sort.direction == Direction::Desc {
        ord.reverse()
    } else {
        ord
    }
}

prop_compose! {
    fn arb_video()(
        creator in prop::sample::select(vec!["alice", "bob", "Carol Ann", "ÆØÅ", "d_%", "Zoë", "zoe"]),
        stamped in any::<bool>(),
        day in 1u32..28, hour in 0u32..24, n in 0u32..50,
        size in prop::sample::select(vec![10u64, 20, 30, 1 << 40]),
        modified in prop::sample::select(vec![1_600_000_000_000i64, 1_700_000_000_000]),
        favorite in any::<bool>(),
        seen in prop::option::of(prop::sample::select(vec![1_650_000_000_000i64, 1_660_000_000_000])),
        ones in prop::option::of(0usize..=100),
        position in prop::sample::select(vec![0.0f64, 0.0, 12.5]),
    ) -> NewVideo {
        let key = if stamped {
            format!("{creator}/{creator}-2024-02-{day:02}_{hour:02}-00-{n:02}.mp4")
        } else {
            format!("{creator}/clip {n}.mp4")
        };
        NewVideo {
            key,
            size,
            last_modified: modified,
            etag: None,
            initial: InitialState {
                favorite,
                seen_at: seen.unwrap_or(0),
                position,
                prediction: ones.map(|k| "1".repeat(k) + &"0".repeat(100 - k)).unwrap_or_default(),
            },
        }
    }
}

fn arb_filter() -> impl Strategy<Value = Filter> {
    (
        prop::collection::vec(
            prop::sample::select(vec!["alice", "bob", "Carol Ann", "ÆØÅ", "d_%", "nobody"]),
            0..3,
        ),
        any::<bool>(),
        // Only unseen, only seen, either (both at once is refused: tested on its own).
        prop::sample::select(vec![(false, false), (true, false), (false, true)]),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![
            "",
            "a",
            "AL",
            "ol a",
            "2024-02-1",
            "clip",
            "_%",
            "æøå",
            "d_",
            "CLIP 1",
            "zoe",
            "ZOË",
            "oë",
            "ë",
        ])),
        prop::option::of(prop::sample::select(vec![1_600_000_000_000i64, 1_708_000_000_000])),
        prop::option::of(prop::sample::select(vec![1_708_500_000_000i64, 1_800_000_000_000])),
        prop::option::of(0u8..=100),
    )
        .prop_map(
            |(
                creators,
                favorites_only,
                (unseen_only, seen_only),
                in_progress_only,
                search,
                date_from,
                date_to,
                min_quality,
            )| Filter {
                creators: creators.into_iter().map(String::from).collect(),
                favorites_only,
                unseen_only,
                seen_only,
                in_progress_only,
                missing_only: false,
                search: search.map(String::from),
                date_from,
                date_to: date_to.filter(|to| date_from.is_none_or(|from| *to >= from)),
                min_quality,
            },
        )
}

fn arb_sort() -> impl Strategy<Value = Sort> {
    (prop::sample::select(SortKey::ALL.to_vec()), any::<bool>()).prop_map(|(key, asc)| Sort {
        key,
        direction: if asc { Direction::Asc } else { Direction::Desc },
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn paging_through_gives_exactly_the_naive_answer(
        videos in prop::collection::vec(arb_video(), 0..120),
        filter in arb_filter(),
        sort in arb_sort(),
        limit in 1u32..9,
        marked in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let (_dir, catalog) = catalog();
        catalog.upsert_videos(&videos).unwrap();
        // Some marked seen without being watched: not unseen, not in the history.
        if !videos.is_empty() {
            let keys = marked.iter().map(|i| i.get(&videos).key.clone()).collect();
            catalog.mark_selection(&Selection::Keys { keys }, Mark::Seen).unwrap();
        }
        let everything = all_pages(&catalog, PageRequest { filter: Filter::default(), sort: Sort::default(), limit: 1000, after: None });

        let mut expected: Vec<VideoSummary> = everything.iter().filter(|v| naive_matches(v, &filter)).cloned().collect();
        expected.sort_by(|a, b| naive_cmp(a, b, sort));
        let got = all_pages(&catalog, PageRequest { filter: filter.clone(), sort, limit, after: None });
        let keys = |vs: &[VideoSummary]| vs.iter().map(|v| v.key.clone()).collect::<Vec<_>>();
        prop_assert_eq!(keys(&got), keys(&expected));
        prop_assert_eq!(catalog.count(&filter).unwrap(), expected.len() as u64);

        // A jump into the middle (the scrollbar dragged deep) lands on the same rows, and
        // its cursor carries on from there.
        let skip = (expected.len() / 2) as u64;
        let jump = catalog
            .page_at(&PageRequest { filter: filter.clone(), sort, limit, after: None }, skip)
            .unwrap();
        let mut rest = jump.items.clone();
        if let Some(cursor) = jump.next_cursor {
            rest.extend(all_pages(&catalog, PageRequest { filter: filter.clone(), sort, limit, after: Some(cursor) }));
        }
        prop_assert_eq!(keys(&rest), keys(&expected[skip as usize..]));
    }

    #[test]
    fn counters_stay_equal_to_the_rows_through_any_changes(
        videos in prop::collection::vec(arb_video(), 1..60),
        // A few videos changed many times: removals and returns meet marks and watches.
        changes in prop::collection::vec((0usize..5, 0u8..8), 0..60),
    ) {
        let (dir, catalog) = catalog();
        catalog.upsert_videos(&videos).unwrap();
        let keys: Vec<String> = videos.iter().map(|v| v.key.clone()).collect();
        let raw = rusqlite::Connection::open(dir.path().join("catalog.sqlite")).unwrap();
        for (index, change) in changes {
            let key = &keys[index % keys.len()];
            match change {
                0 => { let _ = catalog.set_favorite(key, true); }
                1 => { let _ = catalog.set_favorite(key, false); }
                2 => { let _ = catalog.mark_seen(key); }
                3 => { let _ = catalog.mark_selection(&Selection::Keys { keys: vec![key.clone()] }, Mark::Seen); }
                4 => { let _ = catalog.set_seen(key, None); }
                5 => { let _ = catalog.mark_selection(&Selection::Keys { keys: vec![key.clone()] }, Mark::Unfavorite); }
                // Removed as a sync does, and listed again: the state waits in
                // user_state and comes back, the mark with it.
                6 => { raw.execute("DELETE FROM videos WHERE key = ?", [key]).unwrap(); }
                _ => { catalog.upsert_videos(videos.iter().filter(|v| &v.key == key)).unwrap(); }
            }
        }
        // The triggers' counters equal what the rows say.
        let truth: Vec<(i64, i64, i64, i64, i64)> = raw
            .prepare(
                "SELECT c.id, c.videos - count(v.id), c.favorites - coalesce(sum(v.favorite), 0), \
                        c.unseen - coalesce(sum(v.seen_at = 0 AND m.video_id IS NULL), 0), \
                        c.favorites_unseen - coalesce(sum(v.favorite AND v.seen_at = 0 AND m.video_id IS NULL), 0) \
                   FROM creators c LEFT JOIN videos v ON v.creator_id = c.id \
                   LEFT JOIN seen_marks m ON m.video_id = v.id GROUP BY c.id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        prop_assert!(truth.iter().all(|&(_, a, b, c, d)| (a, b, c, d) == (0, 0, 0, 0)), "{truth:?}");
        let orphans: i64 = raw
            .query_row("SELECT count(*) FROM seen_marks WHERE video_id NOT IN (SELECT id FROM videos)", [], |r| r.get(0))
            .unwrap();
        prop_assert_eq!(orphans, 0, "a mark without its video");
        for filter in [
            Filter::default(),
            Filter { favorites_only: true, ..Filter::default() },
            Filter { unseen_only: true, ..Filter::default() },
            Filter { favorites_only: true, unseen_only: true, creators: vec!["alice".into(), "bob".into()], ..Filter::default() },
        ] {
            let rows = all_pages(&catalog, PageRequest { filter: filter.clone(), sort: Sort::default(), limit: 1000, after: None }).len() as u64;
            prop_assert_eq!(catalog.count(&filter).unwrap(), rows);
        }
        let per_creator: u64 = catalog.creators().unwrap().iter().map(|c| c.videos).sum();
        prop_assert_eq!(per_creator, catalog.count(&Filter::default()).unwrap());
    }
}

fn video(key: &str) -> NewVideo {
    NewVideo {
        key: key.into(),
        size: 100,
        last_modified: 1_700_000_000_000,
        etag: Some("\"e\"".into()),
        initial: InitialState::default(),
    }
}

#[test]
fn every_sort_is_read_from_an_index_for_the_common_filters() {
    let (_dir, catalog) = catalog();
    catalog
        .fill_synthetic(
            SynthSpec {
                videos: 20_000,
                creators: 200,
                seed: 3,
            },
            |_| {},
        )
        .unwrap();
    let big = catalog
        .creators()
        .unwrap()
        .into_iter()
        .max_by_key(|c| c.videos)
        .unwrap()
        .name;
    let filters = [
        Filter::default(),
        Filter {
            creators: vec![big.clone()],
            ..Filter::default()
        },
        Filter {
            favorites_only: true,
            ..Filter::default()
        },
        Filter {
            unseen_only: true,
            ..Filter::default()
        },
        Filter {
            creators: vec![big.clone()],
            unseen_only: true,
            ..Filter::default()
        },
        Filter {
            creators: vec![big],
            favorites_only: true,
            ..Filter::default()
        },
    ];
    for filter in &filters {
        for key in SortKey::ALL {
            for direction in [Direction::Asc, Direction::Desc] {
                let first = PageRequest {
                    filter: filter.clone(),
                    sort: Sort { key, direction },
                    limit: 60,
                    after: None,
                };
                let next = catalog.page(&first).unwrap().next_cursor;
                for request in [
                    first.clone(),
                    PageRequest {
                        after: next,
                        ..first.clone()
                    },
                ] {
                    let plan = catalog.explain_page(&request).unwrap();
                    assert!(
                        !plan.contains("TEMP B-TREE"),
                        "{key:?} {direction:?} {filter:?} sorts on the fly:\n{plan}"
                    );
                    assert!(
                        plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"),
                        "{key:?} {filter:?}:\n{plan}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_deep_page_continues_exactly_where_the_previous_ended() {
    let (_dir, catalog) = catalog();
    catalog
        .fill_synthetic(
            SynthSpec {
                videos: 3_000,
                creators: 30,
                seed: 9,
            },
            |_| {},
        )
        .unwrap();
    for key in SortKey::ALL {
        for direction in [Direction::Asc, Direction::Desc] {
            let request = |limit, after| PageRequest {
                filter: Filter::default(),
                sort: Sort { key, direction },
                limit,
                after,
            };
            // 1,000 rows in one page, then the next 60 ...
            let deep = catalog.page(&request(1000, None)).unwrap();
            let after_deep = catalog.page(&request(60, deep.next_cursor)).unwrap();
            // ... are rows 1,000 to 1,059 of the same order walked 7 rows at a time.
            let mut walked = Vec::new();
            let mut after = None;
            while walked.len() < 1060 {
                let page = catalog.page(&request(7, after)).unwrap();
                walked.extend(page.items);
                after = page.next_cursor;
            }
            assert_eq!(after_deep.items.len(), 60, "{key:?} {direction:?}");
            assert_eq!(after_deep.items, walked[1000..1060], "{key:?} {direction:?}");
            assert_eq!(deep.items, walked[..1000], "{key:?} {direction:?}");
        }
    }
}

#[test]
fn videos_not_scored_come_after_every_score_in_both_directions() {
    let (_dir, catalog) = catalog();
    let scored = |key: &str, ones: usize| NewVideo {
        initial: InitialState {
            prediction: "1".repeat(ones) + &"0".repeat(100 - ones),
            ..InitialState::default()
        },
        ..video(key)
    };
    catalog
        .upsert_videos(&[
            video("a/unscored-1.mp4"),
            scored("a/zero.mp4", 0),
            scored("a/fifty.mp4", 50),
            video("a/unscored-2.mp4"),
            scored("a/all.mp4", 100),
        ])
        .unwrap();
    for (direction, want) in [
        (Direction::Asc, ["zero", "fifty", "all", "unscored-1", "unscored-2"]),
        (Direction::Desc, ["all", "fifty", "zero", "unscored-2", "unscored-1"]),
    ] {
        for limit in [1, 2, 10] {
            let got: Vec<String> = all_pages(
                &catalog,
                PageRequest {
                    filter: Filter::default(),
                    sort: Sort {
                        key: SortKey::Quality,
                        direction,
                    },
                    limit,
                    after: None,
                },
            )
            .into_iter()
            .map(|v| v.name.trim_end_matches(".mp4").to_owned())
            .collect();
            assert_eq!(got, want, "{direction:?} in pages of {limit}");
        }
        // Jumps land on the same rows, across the scored/unscored boundary too.
        for skip in 1..5u64 {
            let page = catalog
                .page_at(
                    &PageRequest {
                        filter: Filter::default(),
                        sort: Sort {
                            key: SortKey::Quality,
                            direction,
                        },
                        limit: 1,
                        after: None,
                    },
                    skip,
                )
                .unwrap();
            assert_eq!(
                page.items[0].name.trim_end_matches(".mp4"),
                want[skip as usize],
                "{direction:?} skip {skip}"
            );
        }
    }
    let zero = catalog.video("a/zero.mp4").unwrap().unwrap().summary;
    let unscored = catalog.video("a/unscored-1.mp4").unwrap().unwrap().summary;
    assert_eq!((zero.quality, unscored.quality), (Some(0), None));
    let at_least_one = Filter {
        min_quality: Some(1),
        ..Filter::default()
    };
    assert_eq!(
        catalog.count(&at_least_one).unwrap(),
        2,
        "unscored never meets a minimum"
    );
}

#[test]
fn search_folds_accents_and_case_both_ways_at_any_length() {
    let (_dir, catalog) = catalog();
    catalog
        .upsert_videos(&[
            video("zoë/zoë-2024-01-01_00-00-00.mp4"),
            video("zoe/zoe-2024-01-02_00-00-00.mp4"),
            video("ZOË bis/clip.mp4"),
            // Decomposed, as macOS names files: e + combining diaeresis.
            video("zoe\u{308} nfd/clip.mp4"),
            video("bob/bob-2024-01-03_00-00-00.mp4"),
        ])
        .unwrap();
    let count = |term: &str| {
        catalog
            .count(&Filter {
                search: Some(term.into()),
                ..Filter::default()
            })
            .unwrap()
    };
    for term in ["zoe", "zoë", "ZOE", "Zoë", "zoe\u{308}"] {
        assert_eq!(count(term), 4, "{term:?}");
    }
    for term in ["oë", "oe", "Ë", "ë"] {
        assert!(count(term) >= 4, "{term:?} (short) found {}", count(term));
    }
    assert_eq!(count("oë"), 4);
    assert_eq!(count("bob"), 1);
}

#[test]
fn bad_requests_are_typed_errors() {
    let (_dir, catalog) = catalog();
    catalog
        .upsert_videos(&[video("a/a-2024-01-01_00-00-00.mp4"), video("a/b.mp4")])
        .unwrap();
    let first = PageRequest {
        filter: Filter::default(),
        sort: Sort::default(),
        limit: 1,
        after: None,
    };
    let cursor = catalog.page(&first).unwrap().next_cursor.unwrap();

    let with = |after: &str, sort: Sort| {
        catalog.page(&PageRequest {
            after: Some(after.into()),
            sort,
            ..first.clone()
        })
    };
    assert!(matches!(with("garbage!", Sort::default()), Err(QueryError::BadCursor)));
    assert!(matches!(
        with("eyJ4IjoxfQ", Sort::default()),
        Err(QueryError::BadCursor)
    ));
    let other = Sort {
        key: SortKey::Size,
        direction: Direction::Asc,
    };
    assert!(matches!(
        with(&cursor, other),
        Err(QueryError::CursorForOtherSort { .. })
    ));
    assert!(matches!(
        catalog.page(&PageRequest {
            limit: 0,
            ..first.clone()
        }),
        Err(QueryError::PageSize(0))
    ));
    assert!(matches!(
        catalog.page(&PageRequest {
            limit: 5000,
            ..first.clone()
        }),
        Err(QueryError::PageSize(5000))
    ));
    let backwards = Filter {
        date_from: Some(10),
        date_to: Some(5),
        ..Filter::default()
    };
    assert!(matches!(catalog.count(&backwards), Err(QueryError::EmptyDateRange)));
    assert!(matches!(
        catalog.count(&Filter {
            min_quality: Some(101),
            ..Filter::default()
        }),
        Err(QueryError::Quality(101))
    ));
}

#[test]
fn search_folds_case_beyond_ascii_and_takes_punctuation_literally() {
    let (_dir, catalog) = catalog();
    catalog
        .upsert_videos(&[
            video("ÆØÅ Studio/Ærlig talt.mp4"),
            video("bob/100% real_1.mp4"),
            video("bob/100 real.mp4"),
            video("x/\"quoted\" name.mp4"),
        ])
        .unwrap();
    let found = |term: &str| {
        let filter = Filter {
            search: Some(term.into()),
            ..Filter::default()
        };
        let mut keys: Vec<String> = all_pages(
            &catalog,
            PageRequest {
                filter: filter.clone(),
                sort: Sort::default(),
                limit: 10,
                after: None,
            },
        )
        .into_iter()
        .map(|v| v.key)
        .collect();
        keys.sort();
        assert_eq!(catalog.count(&filter).unwrap(), keys.len() as u64);
        keys
    };
    assert_eq!(found("æøå studio"), ["ÆØÅ Studio/Ærlig talt.mp4"]);
    assert_eq!(found("0%"), ["bob/100% real_1.mp4"]);
    assert_eq!(found("% real_"), ["bob/100% real_1.mp4"]);
    assert_eq!(found("\"quoted\""), ["x/\"quoted\" name.mp4"]);
    assert_eq!(found("REAL").len(), 2);
    assert!(found("nothing like it").is_empty());
}

#[test]
fn a_random_pick_can_be_any_match_and_continues_in_shuffle_order() {
    let (_dir, catalog) = catalog();
    let videos: Vec<NewVideo> = (0..60)
        .map(|i| video(&format!("{}/v{i:02}.mp4", if i % 3 == 0 { "alice" } else { "bob" })))
        .collect();
    catalog.upsert_videos(&videos).unwrap();
    let alice = Filter {
        creators: vec!["alice".into()],
        ..Filter::default()
    };
    let shuffled = all_pages(
        &catalog,
        PageRequest {
            filter: alice.clone(),
            sort: Sort {
                key: SortKey::Shuffle,
                direction: Direction::Asc,
            },
            limit: 1000,
            after: None,
        },
    );
    assert_eq!(shuffled.len(), 20);
    let mut picked = std::collections::HashSet::new();
    for _ in 0..1000 {
        let page = catalog.random_page(&alice, 3).unwrap();
        let first = &page.items[0];
        assert_eq!(first.creator, "alice");
        // What follows the pick is the shuffle order from there on.
        let at = shuffled.iter().position(|v| v.key == first.key).unwrap();
        let expected: Vec<&str> = shuffled[at..].iter().take(3).map(|v| v.key.as_str()).collect();
        let got: Vec<&str> = page.items.iter().map(|v| v.key.as_str()).collect();
        assert_eq!(got, expected);
        picked.insert(first.key.clone());
    }
    // 1,000 fair picks among 20 miss one with a chance of about 20 * 0.95^1000 (1e-21).
    assert_eq!(picked.len(), 20, "every match can be picked");
    let nobody = Filter {
        creators: vec!["nobody".into()],
        ..Filter::default()
    };
    assert!(catalog.random_page(&nobody, 3).unwrap().items.is_empty());
}

#[test]
fn asking_for_only_seen_and_only_unseen_at_once_is_refused() {
    let (_dir, catalog) = catalog();
    let both = Filter {
        seen_only: true,
        unseen_only: true,
        ..Filter::default()
    };
    assert!(matches!(catalog.count(&both), Err(QueryError::SeenAndUnseen)));
}

/// Every key of `request`'s pages, from the first on.
fn page_keys(catalog: &Catalog, filter: &Filter, sort: Sort, limit: u32) -> Vec<String> {
    all_pages(
        catalog,
        PageRequest {
            filter: filter.clone(),
            sort,
            limit,
            after: None,
        },
    )
    .into_iter()
    .map(|v| v.key)
    .collect()
}

#[test]
fn key_search_with_many_matches_page_count_and_jump_like_the_naive_answer() {
    // Enough videos that common one-character terms pass the list of ids and are checked
    // row by row while the sort's index is walked; rare ones stay a list.
    let (_dir, catalog) = catalog();
    catalog
        .load_videos(
            m3u8v_core::catalog::synth::generate(SynthSpec {
                videos: 30_000,
                creators: 40,
                seed: 3,
            }),
            |_| {},
        )
        .unwrap();
    let everything = all_pages(
        &catalog,
        PageRequest {
            filter: Filter::default(),
            sort: Sort::default(),
            limit: 1000,
            after: None,
        },
    );
    let creator = everything[17].creator.clone();
    for (term, unseen, creators) in [
        ("2", false, vec![]),
        ("1", true, vec![]),
        ("7", false, vec![]),
        ("r", false, vec![creator.clone()]),
        ("03", true, vec![]),
        ("_1", false, vec![]),
        ("zq", false, vec![]),
    ] {
        let filter = Filter {
            search: Some(term.into()),
            unseen_only: unseen,
            creators,
            ..Filter::default()
        };
        for sort in [
            Sort::default(),
            Sort {
                key: SortKey::Name,
                direction: Direction::Asc,
            },
            Sort {
                key: SortKey::Seen,
                direction: Direction::Desc,
            },
        ] {
            let mut expected: Vec<VideoSummary> = everything
                .iter()
                .filter(|v| naive_matches(v, &filter))
                .cloned()
                .collect();
            expected.sort_by(|a, b| naive_cmp(a, b, sort));
            let expected: Vec<String> = expected.into_iter().map(|v| v.key).collect();
            assert_eq!(page_keys(&catalog, &filter, sort, 997), expected, "{term:?} {sort:?}");
            assert_eq!(catalog.count(&filter).unwrap(), expected.len() as u64, "{term:?}");
            let skip = expected.len() / 3;
            let jump = catalog
                .page_at(
                    &PageRequest {
                        filter: filter.clone(),
                        sort,
                        limit: 5,
                        after: None,
                    },
                    skip as u64,
                )
                .unwrap();
            let landed: Vec<String> = jump.items.into_iter().map(|v| v.key).collect();
            assert_eq!(landed, expected[skip..(skip + 5).min(expected.len())], "{term:?}");
        }
    }
    // "2" (in every year) is common enough to be checked row by row.
    let common = catalog
        .count(&Filter {
            search: Some("2".into()),
            ..Filter::default()
        })
        .unwrap();
    assert!(common > 20_000, "{common}: the row-by-row path was not exercised");
}

#[test]
fn key_search_follow_every_change_of_the_keys_from_any_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.sqlite");
    let catalog = Catalog::open(&path).unwrap();
    catalog
        .upsert_videos(&[video("ann/ann-2024-01-01_00-00-00.mp4"), video("bob/clip.mp4")])
        .unwrap();
    let found = |term: &str| {
        let mut keys = page_keys(
            &catalog,
            &Filter {
                search: Some(term.into()),
                ..Filter::default()
            },
            Sort::default(),
            10,
        );
        keys.sort();
        keys
    };
    catalog.prepare_search().unwrap();
    assert_eq!(found("q"), Vec::<String>::new());
    assert_eq!(found("b"), vec!["bob/clip.mp4"]);

    // Added through the catalog.
    catalog.upsert_videos(&[video("quinn/q.mp4")]).unwrap();
    assert_eq!(found("q"), vec!["quinn/q.mp4"]);
    // Marks leave the keys as they are, and the answer too.
    catalog.set_favorite("quinn/q.mp4", true).unwrap();
    assert_eq!(found("q"), vec!["quinn/q.mp4"]);

    // Another program removes the newest video (its id is then given to the next one)
    // and renames another: the copy in memory is read again.
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute("DELETE FROM videos WHERE key = 'quinn/q.mp4'", [])
        .unwrap();
    assert_eq!(found("q"), Vec::<String>::new());
    catalog.upsert_videos(&[video("zed/z.mp4")]).unwrap();
    assert_eq!(found("q"), Vec::<String>::new(), "a reused id is not the old key");
    assert_eq!(found("ze"), vec!["zed/z.mp4"]);
    other
        .execute("UPDATE videos SET key = 'bee/clip.mp4' WHERE key = 'bob/clip.mp4'", [])
        .unwrap();
    assert_eq!(found("bo"), Vec::<String>::new());
    assert_eq!(found("ee"), vec!["bee/clip.mp4"]);
}
