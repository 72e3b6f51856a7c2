use super::*;
use crate::catalog::Catalog;
use crate::catalog::ingest::NewVideo;

fn folder(path: &Path) -> SourceSettings {
    SourceSettings::Folder(FolderSettings {
        path: path.to_path_buf(),
    })
}

fn bucket_profile() -> Profile {
    Profile {
        endpoint: "https://acct.r2.cloudflarestorage.com".into(),
        bucket: "videos".into(),
        region: "auto".into(),
        access_key_id: "AKID".into(),
        path_style: false,
    }
}

#[test]
fn libraries_are_added_found_renamed_and_kept_across_loads() {
    let data = tempfile::tempdir().unwrap();
    let media = tempfile::tempdir().unwrap();
    let mut libraries = Libraries::load(data.path()).unwrap();
    assert!(libraries.entries().is_empty() && libraries.active().is_none());

    let home = libraries.add("Home videos", folder(media.path())).unwrap();
    let work = libraries
        .add("R2 archive", SourceSettings::Bucket(bucket_profile()))
        .unwrap();
    assert_eq!((home.id.as_str(), work.id.as_str()), ("home-videos", "r2-archive"));
    assert_eq!(
        libraries.active().unwrap().id,
        home.id,
        "the first library is the one opened"
    );
    assert_ne!(libraries.catalog_path(&home), libraries.catalog_path(&work));
    assert!(matches!(
        libraries.add("home VIDEOS", folder(data.path())),
        Err(LibraryError::NameTaken(_))
    ));
    assert!(matches!(
        libraries.add("Again", folder(media.path())),
        Err(LibraryError::FolderTaken { .. })
    ));
    assert!(matches!(
        libraries.add("  ", folder(data.path())),
        Err(LibraryError::NoName)
    ));

    libraries.set_active(&work.id).unwrap();
    libraries.rename(&home.id, "Family").unwrap();
    let again = Libraries::load(data.path()).unwrap();
    assert_eq!(again.active().unwrap().id, work.id);
    assert_eq!(again.find("family").unwrap().id, home.id);
    assert_eq!(again.find("r2-archive").unwrap().name, "R2 archive");
    let missing = again.find("nope").unwrap_err().to_string();
    assert!(
        missing.contains("Family") && missing.contains("R2 archive"),
        "{missing}"
    );
}

#[test]
fn removing_a_library_removes_its_catalog_and_nothing_of_its_folder() {
    let data = tempfile::tempdir().unwrap();
    let media = tempfile::tempdir().unwrap();
    std::fs::write(media.path().join("keep.mp4"), b"mine").unwrap();
    let mut libraries = Libraries::load(data.path()).unwrap();
    let entry = libraries.add("Disk", folder(media.path())).unwrap();
    let catalog_path = libraries.catalog_path(&entry);
    Catalog::open(&catalog_path).unwrap();
    assert!(catalog_path.exists());

    libraries.remove(&entry.id).unwrap();
    assert!(!catalog_path.exists());
    assert!(!libraries.library_folder(&entry).exists());
    assert_eq!(std::fs::read(media.path().join("keep.mp4")).unwrap(), b"mine");
    assert!(Libraries::load(data.path()).unwrap().entries().is_empty());
}

#[test]
fn an_older_install_opens_as_one_library_with_nothing_lost() {
    let data = tempfile::tempdir().unwrap();
    bucket_profile().save(&data.path().join(PROFILE_FILE)).unwrap();
    let key = "alice/alice-2024-01-01_00-00-00.mp4";
    {
        let catalog = Catalog::open(data.path().join(CATALOG_FILE)).unwrap();
        catalog
            .upsert_videos([&NewVideo {
                key: key.into(),
                size: 1,
                last_modified: 1,
                ..NewVideo::default()
            }])
            .unwrap();
        catalog.set_favorite(key, true).unwrap();
    }
    let libraries = Libraries::load(data.path()).unwrap();
    let only = libraries.active().unwrap();
    assert_eq!(libraries.entries().len(), 1);
    assert_eq!(only.name, "videos");
    assert_eq!(only.source, SourceSettings::Bucket(bucket_profile()));
    assert_eq!(libraries.catalog_path(only), data.path().join(CATALOG_FILE));
    let catalog = Catalog::open(libraries.catalog_path(only)).unwrap();
    assert!(catalog.video(key).unwrap().unwrap().summary.favorite);
}

#[test]
fn a_damaged_list_is_a_clear_error_and_is_left_alone() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join(LIBRARIES_FILE);
    std::fs::write(&path, b"{ not json").unwrap();
    let err = Libraries::load(data.path()).unwrap_err();
    assert!(matches!(err, LibraryError::Parse { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"{ not json");
}

#[test]
fn removing_an_older_installs_library_takes_its_poster_cache_and_nothing_else() {
    let data = tempfile::tempdir().unwrap();
    bucket_profile().save(&data.path().join(PROFILE_FILE)).unwrap();
    let catalog_path = data.path().join(CATALOG_FILE);
    Catalog::open(&catalog_path).unwrap();
    let posters = crate::posters::cache_path_beside(&catalog_path);
    crate::posters::PosterCache::open(&posters).unwrap();
    std::fs::write(data.path().join("other.txt"), b"not the library's").unwrap();
    let mut libraries = Libraries::load(data.path()).unwrap();
    let id = libraries.active().unwrap().id.clone();

    libraries.remove(&id).unwrap();
    assert!(!catalog_path.exists() && !posters.exists());
    assert_eq!(
        std::fs::read(data.path().join("other.txt")).unwrap(),
        b"not the library's"
    );
}
