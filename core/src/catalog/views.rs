//! Views the user saves: a filter and a sort under a name, kept in the library's catalog
//! (so they travel with it and survive restarts), listed in the filter bar and by
//! `m3u8v ls --view NAME`.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::query::{Filter, Sort};
use super::{Catalog, CatalogError, wraps_catalog_error};

/// Longest name a view may have, in characters: it has to fit a menu.
pub const MAX_NAME: usize = 80;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SavedView {
    pub name: String,
    pub filter: Filter,
    pub sort: Sort,
}

#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    #[error("a view needs a name")]
    EmptyName,
    #[error("a view's name is at most {MAX_NAME} characters")]
    NameTooLong,
    #[error("there is already a view named {0:?}")]
    NameTaken(String),
    #[error("there is no view named {0:?}")]
    NoSuchView(String),
    #[error("the saved view {name:?} cannot be read (saved by another version?)")]
    Unreadable {
        name: String,
        #[source]
        source: serde_json::Error,
    },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

wraps_catalog_error!(ViewError);

/// The name as kept: trimmed, checked.
fn checked_name(name: &str) -> Result<&str, ViewError> {
    let name = name.trim();
    if name.is_empty() {
        Err(ViewError::EmptyName)
    } else if name.chars().count() > MAX_NAME {
        Err(ViewError::NameTooLong)
    } else {
        Ok(name)
    }
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("a filter and a sort are JSON")
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

impl Catalog {
    /// Every saved view, by name (ignoring case).
    pub fn saved_views(&self) -> Result<Vec<SavedView>, ViewError> {
        let conn = self.reader()?;
        let mut stmt =
            conn.prepare_cached("SELECT name, filter, sort FROM saved_views ORDER BY name COLLATE NOCASE")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(name, filter, sort)| {
                let read = || -> Result<(Filter, Sort), serde_json::Error> {
                    Ok((serde_json::from_str(&filter)?, serde_json::from_str(&sort)?))
                };
                match read() {
                    Ok((filter, sort)) => Ok(SavedView { name, filter, sort }),
                    Err(source) => Err(ViewError::Unreadable { name, source }),
                }
            })
            .collect()
    }

    /// The view named `name` (ignoring case).
    pub fn saved_view(&self, name: &str) -> Result<SavedView, ViewError> {
        let name = checked_name(name)?;
        self.saved_views()?
            .into_iter()
            .find(|v| v.name.to_lowercase() == name.to_lowercase())
            .ok_or_else(|| ViewError::NoSuchView(name.to_owned()))
    }

    /// Saves `filter` and `sort` as a new view named `name`; with `replace`, over the
    /// view of that name if there is one.
    pub fn save_view(&self, name: &str, filter: &Filter, sort: Sort, replace: bool) -> Result<SavedView, ViewError> {
        let name = checked_name(name)?;
        let now = chrono::Utc::now().timestamp_millis();
        self.write(|tx| {
            let sql = if replace {
                "INSERT INTO saved_views (name, filter, sort, created_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (name) DO UPDATE SET name = excluded.name, filter = excluded.filter, sort = excluded.sort"
            } else {
                "INSERT INTO saved_views (name, filter, sort, created_at) VALUES (?1, ?2, ?3, ?4)"
            };
            match tx.execute(sql, params![name, json(filter), json(&sort), now]) {
                Err(e) if is_unique_violation(&e) => Err(ViewError::NameTaken(name.to_owned())),
                other => other.map(drop).map_err(ViewError::from),
            }
        })?;
        Ok(SavedView {
            name: name.to_owned(),
            filter: filter.clone(),
            sort,
        })
    }

    /// Gives the view `from` the name `to` (a change of case alone included).
    pub fn rename_view(&self, from: &str, to: &str) -> Result<(), ViewError> {
        let (from, to) = (checked_name(from)?, checked_name(to)?);
        self.write(|tx| {
            let changed = match tx.execute("UPDATE saved_views SET name = ?2 WHERE name = ?1", params![from, to]) {
                Err(e) if is_unique_violation(&e) => return Err(ViewError::NameTaken(to.to_owned())),
                other => other?,
            };
            if changed == 0 {
                return Err(ViewError::NoSuchView(from.to_owned()));
            }
            Ok(())
        })
    }

    pub fn delete_view(&self, name: &str) -> Result<(), ViewError> {
        let name = checked_name(name)?;
        self.write(|tx| {
            let id: Option<i64> = tx
                .query_row("SELECT id FROM saved_views WHERE name = ?1", [name], |r| r.get(0))
                .optional()?;
            let id = id.ok_or_else(|| ViewError::NoSuchView(name.to_owned()))?;
            tx.execute("DELETE FROM saved_views WHERE id = ?1", [id])?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::query::{Direction, SortKey};

    fn catalog() -> (tempfile::TempDir, Catalog) {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(dir.path().join("c.sqlite")).unwrap();
        (dir, catalog)
    }

    fn unseen_of_bob() -> Filter {
        Filter {
            creators: vec!["bob".into()],
            unseen_only: true,
            search: Some("zoë".into()),
            min_quality: Some(40),
            ..Filter::default()
        }
    }

    const BY_SIZE: Sort = Sort {
        key: SortKey::Size,
        direction: Direction::Asc,
    };

    #[test]
    fn a_saved_view_comes_back_after_reopening_the_catalog() {
        let (dir, catalog) = catalog();
        catalog
            .save_view("  Bob, unseen ", &unseen_of_bob(), BY_SIZE, false)
            .unwrap();
        catalog
            .save_view("all", &Filter::default(), Sort::default(), false)
            .unwrap();
        drop(catalog);
        let catalog = Catalog::open(dir.path().join("c.sqlite")).unwrap();
        let views = catalog.saved_views().unwrap();
        assert_eq!(
            views.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
            ["all", "Bob, unseen"]
        );
        assert_eq!(views[1].filter, unseen_of_bob());
        assert_eq!(views[1].sort, BY_SIZE);
        assert_eq!(catalog.saved_view("BOB, UNSEEN").unwrap().sort, BY_SIZE);
    }

    #[test]
    fn names_are_unique_ignoring_case_unless_replacing() {
        let (_dir, catalog) = catalog();
        catalog
            .save_view("Best", &Filter::default(), Sort::default(), false)
            .unwrap();
        assert!(matches!(
            catalog.save_view("best", &unseen_of_bob(), BY_SIZE, false),
            Err(ViewError::NameTaken(n)) if n == "best"
        ));
        assert_eq!(catalog.saved_view("Best").unwrap().filter, Filter::default());
        catalog.save_view("best", &unseen_of_bob(), BY_SIZE, true).unwrap();
        let views = catalog.saved_views().unwrap();
        assert_eq!(views.len(), 1);
        assert_eq!((views[0].name.as_str(), views[0].sort), ("best", BY_SIZE));
    }

    #[test]
    fn rename_and_delete_say_what_went_wrong() {
        let (_dir, catalog) = catalog();
        catalog
            .save_view("one", &Filter::default(), Sort::default(), false)
            .unwrap();
        catalog
            .save_view("two", &Filter::default(), Sort::default(), false)
            .unwrap();
        assert!(matches!(
            catalog.rename_view("one", "TWO"),
            Err(ViewError::NameTaken(_))
        ));
        assert!(matches!(
            catalog.rename_view("three", "four"),
            Err(ViewError::NoSuchView(_))
        ));
        assert!(matches!(catalog.rename_view("one", "   "), Err(ViewError::EmptyName)));
        catalog.rename_view("one", "One").unwrap();
        catalog.rename_view("One", "first").unwrap();
        assert!(matches!(catalog.delete_view("one"), Err(ViewError::NoSuchView(_))));
        catalog.delete_view("FIRST").unwrap();
        let names: Vec<String> = catalog.saved_views().unwrap().into_iter().map(|v| v.name).collect();
        assert_eq!(names, ["two"]);
        assert!(matches!(
            catalog.save_view(&"x".repeat(MAX_NAME + 1), &Filter::default(), Sort::default(), false),
            Err(ViewError::NameTooLong)
        ));
    }

    #[test]
    fn a_damaged_view_is_named_in_its_error() {
        let (dir, catalog) = catalog();
        catalog
            .save_view("ok", &Filter::default(), Sort::default(), false)
            .unwrap();
        rusqlite::Connection::open(dir.path().join("c.sqlite"))
            .unwrap()
            .execute("UPDATE saved_views SET sort = '{\"key\":\"colour\"}'", [])
            .unwrap();
        assert!(matches!(catalog.saved_views(), Err(ViewError::Unreadable { name, .. }) if name == "ok"));
    }
}
