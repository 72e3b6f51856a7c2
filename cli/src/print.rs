//! How `m3u8v` shows results: aligned text for people, one JSON document with `--json`.

use std::io::Write;

use anyhow::Result;
use m3u8v_core::{CreatorCounts, ImportReport, Page, SourceSettings, VideoDetail, VideoSummary};
use serde::Serialize;

fn json_out(value: &impl Serialize) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

fn date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(|| "?".into(), |t| t.format("%Y-%m-%d %H:%M").to_string())
}

pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn flags(v: &VideoSummary) -> String {
    format!(
        "{}{}",
        if v.favorite { "★" } else { " " },
        if v.is_seen() { "✓" } else { " " }
    )
}

pub fn page(page: &Page, total: u64, json: bool) -> Result<()> {
    if json {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Out<'a> {
            total: u64,
            #[serde(flatten)]
            page: &'a Page,
        }
        return json_out(&Out { total, page });
    }
    let mut out = std::io::stdout().lock();
    for v in &page.items {
        writeln!(
            out,
            "{}{} {}  {:>9}  q{:<3} {}",
            flags(v),
            if v.missing_since.is_some() { "?" } else { " " },
            date(v.date),
            size(v.size),
            v.quality.map_or_else(|| "-".into(), |q| q.to_string()),
            v.key
        )?;
    }
    writeln!(out, "{} of {total} videos", page.items.len())?;
    if let Some(cursor) = &page.next_cursor {
        writeln!(out, "next page: --after {cursor}")?;
    }
    Ok(())
}

pub fn video(video: &VideoDetail, json: bool) -> Result<()> {
    if json {
        return json_out(video);
    }
    let v = &video.summary;
    let mut out = std::io::stdout().lock();
    writeln!(out, "key:        {}", v.key)?;
    writeln!(
        out,
        "creator:    {}",
        if v.creator.is_empty() {
            "(bucket root)"
        } else {
            &v.creator
        }
    )?;
    writeln!(
        out,
        "recorded:   {}",
        v.recorded_at.map_or_else(|| "unknown".into(), date)
    )?;
    writeln!(out, "modified:   {}", date(v.last_modified))?;
    writeln!(out, "size:       {} ({} bytes)", size(v.size), v.size)?;
    writeln!(out, "favorite:   {}", if v.favorite { "yes" } else { "no" })?;
    let seen = match (v.seen_at, v.marked_seen_at) {
        (Some(at), _) => format!("watched {}", date(at)),
        (None, Some(at)) => format!("marked seen {}", date(at)),
        (None, None) => "never".into(),
    };
    writeln!(out, "seen:       {seen}")?;
    writeln!(out, "resume at:  {}s", v.position)?;
    writeln!(
        out,
        "quality:    {}",
        v.quality.map_or_else(|| "not scored".into(), |q| format!("{q}/100"))
    )?;
    if let Some(since) = v.missing_since {
        writeln!(out, "missing:    from the source since {}", date(since))?;
    }
    writeln!(out, "prediction: {}", v.prediction.as_deref().unwrap_or("none"))?;
    writeln!(out, "previews:   {}", video.preview_segments.len())?;
    for segment in &video.preview_segments {
        writeln!(out, "  {segment}")?;
    }
    Ok(())
}

pub fn creators(creators: &[CreatorCounts], json: bool) -> Result<()> {
    if json {
        return json_out(&creators);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:>8} {:>6} {:>8} {:>9}  creator",
        "videos", "fav", "unseen", "size"
    )?;
    for c in creators {
        writeln!(
            out,
            "{:>8} {:>6} {:>8} {:>9}  {}",
            c.videos,
            c.favorites,
            c.unseen,
            size(c.bytes),
            if c.name.is_empty() { "(bucket root)" } else { &c.name }
        )?;
    }
    writeln!(out, "{} creators", creators.len())?;
    Ok(())
}

/// Saved views: name, then the filter and sort in words a shell user can reuse.
pub fn views(views: &[m3u8v_core::SavedView], json: bool) -> Result<()> {
    if json {
        return json_out(&views);
    }
    let mut out = std::io::stdout().lock();
    for view in views {
        let f = &view.filter;
        let mut parts: Vec<String> = f.creators.iter().map(|c| format!("--creator {c:?}")).collect();
        for (on, flag) in [
            (f.favorites_only, "--favorites"),
            (f.unseen_only, "--unseen"),
            (f.seen_only, "--watched"),
            (f.in_progress_only, "--in-progress"),
            (f.missing_only, "--missing"),
        ] {
            if on {
                parts.push(flag.to_owned());
            }
        }
        if let Some(search) = &f.search {
            parts.push(format!("--search {search:?}"));
        }
        if let Some(q) = f.min_quality {
            parts.push(format!("--min-quality {q}"));
        }
        if f.date_from.is_some() || f.date_to.is_some() {
            parts.push("(a date range)".to_owned());
        }
        parts.push(format!("--sort {}", view.sort.key.name()));
        if view.sort.direction == m3u8v_core::Direction::Asc {
            parts.push("--asc".to_owned());
        }
        writeln!(out, "{}\t{}", view.name, parts.join(" "))?;
    }
    writeln!(out, "{} saved views", views.len())?;
    Ok(())
}

pub fn import_report(report: &ImportReport, json: bool) -> Result<()> {
    if json {
        return json_out(report);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} predictions applied, {} kept for videos not in the catalog yet, {} bad lines",
        report.applied,
        report.pending,
        report.bad_lines.len()
    )?;
    for bad in &report.bad_lines {
        writeln!(out, "  line {}: {}", bad.line, bad.reason)?;
    }
    Ok(())
}

pub fn done(json: bool, text: &str, value: serde_json::Value) -> Result<()> {
    if json {
        json_out(&value)
    } else {
        Ok(writeln!(std::io::stdout().lock(), "{text}")?)
    }
}

/// The libraries, the active one marked.
pub fn libraries(libraries: &[(m3u8v_core::LibraryEntry, bool, Option<u64>)], json: bool) -> Result<()> {
    if json {
        let value: Vec<serde_json::Value> = libraries
            .iter()
            .map(|(entry, active, videos)| serde_json::json!({"library": entry, "active": active, "videos": videos}))
            .collect();
        return json_out(&value);
    }
    let mut out = std::io::stdout().lock();
    for (entry, active, videos) in libraries {
        let source = match &entry.source {
            SourceSettings::Bucket(p) => format!("bucket {} at {}", p.bucket, p.endpoint),
            SourceSettings::Folder(f) => format!("folder {}", f.path.display()),
        };
        let videos = videos.map_or_else(|| "?".into(), |n| n.to_string());
        writeln!(
            out,
            "{} {:<24} {:>9} videos  {source}",
            if *active { "*" } else { " " },
            entry.name,
            videos
        )?;
    }
    if libraries.is_empty() {
        writeln!(
            out,
            "no libraries yet: `m3u8v connect` adds a bucket, `m3u8v --folder PATH sync` a folder"
        )?;
    }
    Ok(())
}
