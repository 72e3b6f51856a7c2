//! A realistic synthetic library, for benchmarks and for trying the app at scale.
//!
//! Deterministic for a given seed. Creators follow a Zipf-like skew (a few with tens of
//! thousands of recordings, most with a few hundred), names follow the bucket layout,
//! and a share of the videos carry user state: favorites, seen, positions, predictions.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::catalog::Catalog;
use crate::catalog::ingest::{IngestError, InitialState, NewVideo};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SynthSpec {
    pub videos: u64,
    pub creators: u64,
    pub seed: u64,
}

/// Zipf exponent of videos per creator: at 1M videos and 5,000 creators the largest
/// has ~43k, the tenth ~7k, the smallest ~50.
const SKEW: f64 = 0.8;
const FAVORITE_SHARE: f64 = 0.02;
const SEEN_SHARE: f64 = 0.3;
const UNSTAMPED_SHARE: f64 = 0.01;

const SYLLABLES: &[&str] = &[
    "ka", "mi", "lu", "ro", "sa", "ne", "ti", "va", "zo", "be", "da", "fi", "jo", "le", "ma", "no", "pi", "ri", "su",
    "ya",
];
const SUFFIXES: &[&str] = &["", "_x", "_cam", "_live", "99", "_tv", "_official", "x", "_", "_art"];

/// Videos per creator, largest first, summing to `spec.videos`.
fn videos_per_creator(spec: SynthSpec) -> Vec<u64> {
    let n = spec.creators.max(1).min(spec.videos.max(1));
    let weights: Vec<f64> = (1..=n).map(|rank| (rank as f64).powf(-SKEW)).collect();
    let total: f64 = weights.iter().sum();
    let mut counts: Vec<u64> = weights
        .iter()
        .map(|w| ((w / total) * spec.videos as f64).floor().max(1.0) as u64)
        .collect();
    let mut assigned: u64 = counts.iter().sum();
    // Hand out (or take back) the rounding remainder, keeping every creator non-empty.
    let mut i = 0;
    while assigned != spec.videos {
        let slot = i % counts.len();
        if assigned < spec.videos {
            counts[slot] += 1;
            assigned += 1;
        } else if counts[slot] > 1 {
            counts[slot] -= 1;
            assigned -= 1;
        }
        i += 1;
    }
    counts
}

fn creator_name(rng: &mut ChaCha8Rng, index: u64) -> String {
    let syllables = rng.random_range(2..=4);
    let mut name: String = (0..syllables)
        .map(|_| SYLLABLES[rng.random_range(0..SYLLABLES.len())])
        .collect();
    name.push_str(SUFFIXES[rng.random_range(0..SUFFIXES.len())]);
    // The index keeps names unique whatever the dice said.
    name.push_str(&index.to_string());
    name
}

/// Every video of the synthetic library, in key order (as a bucket listing returns them).
pub fn generate(spec: SynthSpec) -> impl Iterator<Item = NewVideo> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let counts = videos_per_creator(spec);
    let mut creators: Vec<(String, u64, u64)> = counts
        .iter()
        .enumerate()
        .map(|(i, &count)| (creator_name(&mut rng, i as u64), count, rng.random()))
        .collect();
    creators.sort();
    creators
        .into_iter()
        .flat_map(move |(creator, count, creator_seed)| creator_videos(creator, count, creator_seed))
}

fn creator_videos(creator: String, count: u64, seed: u64) -> impl Iterator<Item = NewVideo> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Each creator starts between 2019 and 2025 and records until about the end of 2025
    // (the gaps are random around a mean that would end there).
    const FIRST: i64 = 1_546_300_800_000; // 2019-01-01
    const LAST: i64 = 1_767_225_600_000; // 2026-01-01
    let start = FIRST + rng.random_range(0..(LAST - FIRST) * 6 / 7);
    let mean_gap = ((LAST - start) / count.max(1) as i64).max(60_000);
    let quality_bias: f64 = rng.random_range(0.1..0.9);
    let mut at = start;
    let mut videos: Vec<NewVideo> = (0..count)
        .map(|i| {
            at += rng.random_range(mean_gap / 5..mean_gap * 9 / 5) / 1000 * 1000;
            let stamp = chrono::DateTime::from_timestamp_millis(at)
                .expect("synthetic dates are in range")
                .format("%Y-%m-%d_%H-%M-%S");
            let key = if rng.random_bool(UNSTAMPED_SHARE) {
                format!("{creator}/clip {i:05}.mp4")
            } else {
                format!("{creator}/{creator}-{stamp}.mp4")
            };
            let seen = rng.random_bool(SEEN_SHARE);
            let size = 20_000_000 + (rng.random::<f64>().powi(2) * 4_000_000_000.0) as u64;
            let initial = InitialState {
                favorite: rng.random_bool(FAVORITE_SHARE),
                seen_at: if seen {
                    at + rng.random_range(86_400_000..300 * 86_400_000i64)
                } else {
                    0
                },
                position: if seen && rng.random_bool(0.3) {
                    f64::from(rng.random_range(0..7200u32))
                } else {
                    0.0
                },
                prediction: (0..100)
                    .map(|_| if rng.random_bool(quality_bias) { '1' } else { '0' })
                    .collect(),
            };
            NewVideo {
                key,
                size,
                last_modified: at + rng.random_range(600_000..14_400_000i64),
                etag: Some(format!("\"{:032x}\"", rng.random::<u128>())),
                initial,
            }
        })
        .collect();
    videos.sort_by(|a, b| a.key.cmp(&b.key));
    videos.into_iter()
}

impl Catalog {
    /// Fills the catalog with the synthetic library, reporting progress as it goes.
    pub fn fill_synthetic(&self, spec: SynthSpec, progress: impl FnMut(u64)) -> Result<u64, IngestError> {
        let loaded = self.load_videos(generate(spec), progress)?;
        self.optimize()?;
        Ok(loaded.inserted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_skew_has_a_few_large_creators_and_sums_exactly() {
        let counts = videos_per_creator(SynthSpec {
            videos: 1_000_000,
            creators: 5_000,
            seed: 1,
        });
        assert_eq!(counts.iter().sum::<u64>(), 1_000_000);
        assert_eq!(counts.len(), 5_000);
        assert!(counts[0] > 30_000 && counts[2] > 10_000, "{:?}", &counts[..3]);
        assert!(*counts.last().unwrap() >= 1);
    }

    #[test]
    fn the_same_seed_gives_the_same_library_and_another_seed_another() {
        let spec = SynthSpec {
            videos: 500,
            creators: 20,
            seed: 7,
        };
        let a: Vec<_> = generate(spec).collect();
        assert_eq!(a, generate(spec).collect::<Vec<_>>());
        assert_ne!(a, generate(SynthSpec { seed: 8, ..spec }).collect::<Vec<_>>());
        assert_eq!(a.len(), 500);
        assert!(a.windows(2).all(|w| w[0].key < w[1].key), "listing order");
    }

    #[test]
    fn more_creators_than_videos_still_gives_every_video() {
        let all: Vec<_> = generate(SynthSpec {
            videos: 3,
            creators: 10,
            seed: 1,
        })
        .collect();
        assert_eq!(all.len(), 3);
    }
}
