//! What the commands share: the user's libraries, the one open now (its catalog, its
//! source, the watch on its catalog), the loopback media server for folder libraries
//! (started on first need), and the running sync.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

use m3u8v_core::posters;
use m3u8v_core::{
    CancellationToken, Catalog, ChangeWatch, ConnectOptions, Libraries, LibraryEntry, MediaServer, PosterCache,
    Profile, ProfileOverrides, Secret, SecretSource, Source, SourceKind, SourceSettings, Tuning,
};
use serde::Serialize;
use tokio::sync::OnceCell;

use crate::error::{AppError, ErrorKind};

/// How long a presigned URL works: long enough for a long video, paused (the player
/// renews a link that expired). `M3U8V_URL_LIFETIME` (seconds) shortens it for tests.
fn url_lifetime() -> Duration {
    std::env::var("M3U8V_URL_LIFETIME")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(Duration::from_secs(3600), Duration::from_secs)
}

/// How often the catalog is checked for commits (the app's own and other programs').
const WATCH_EVERY: Duration = Duration::from_millis(250);

/// The library open in the window.
pub struct OpenLibrary {
    pub id: String,
    pub name: String,
    pub kind: Option<SourceKind>,
    pub settings: Option<SourceSettings>,
    pub catalog_path: PathBuf,
    /// Where the library keeps its own files (its view, later its thumbnails).
    pub folder: PathBuf,
    pub catalog: Result<Arc<Catalog>, AppError>,
    pub source: Result<Arc<Source>, AppError>,
    /// Its poster cache, beside the catalog, opened the first time a card asks.
    posters: OnceLock<Result<Arc<PosterCache>, AppError>>,
    _watch: Option<ChangeWatch>,
}

impl OpenLibrary {
    pub fn catalog(&self) -> Result<Arc<Catalog>, AppError> {
        self.catalog.clone()
    }

    pub fn source(&self) -> Result<Arc<Source>, AppError> {
        self.source.clone()
    }

    pub fn posters(&self) -> Result<Arc<PosterCache>, AppError> {
        self.posters
            .get_or_init(|| {
                if self.catalog_path.as_os_str().is_empty() {
                    return Err(no_library_open());
                }
                PosterCache::open(posters::cache_path_beside(&self.catalog_path))
                    .map(Arc::new)
                    .map_err(|e| {
                        tracing::warn!(error = %e, "poster cache unavailable");
                        AppError::from(e)
                    })
            })
            .clone()
    }

    pub fn media_origin(&self) -> Option<String> {
        self.source.as_ref().ok().and_then(|s| s.media_origin())
    }
}

/// One library as the library switcher and Settings list it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryInfo {
    pub id: String,
    pub name: String,
    pub kind: Option<SourceKind>,
    /// The bucket and endpoint, or the folder's path.
    pub location: String,
    pub active: bool,
}

pub struct AppState {
    pub data_dir: Option<PathBuf>,
    /// `M3U8V_DB`: one catalog given from outside, with the environment's bucket.
    fixed_catalog: Option<PathBuf>,
    libraries: Mutex<Result<Libraries, AppError>>,
    open: RwLock<Arc<OpenLibrary>>,
    media_server: OnceCell<Arc<MediaServer>>,
    /// Stops the running sync; `None` when no sync runs.
    sync: Mutex<Option<CancellationToken>>,
    /// Told when the open catalog changed; set once the window exists.
    on_change: RwLock<Option<Arc<dyn Fn() + Send + Sync>>>,
}

impl AppState {
    pub fn new(data_dir: Option<PathBuf>) -> AppState {
        let fixed_catalog = std::env::var_os("M3U8V_DB")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let libraries = match &data_dir {
            Some(dir) => Libraries::load(dir).map_err(AppError::from),
            None => Err(no_data_dir()),
        };
        AppState {
            data_dir,
            fixed_catalog,
            libraries: Mutex::new(libraries),
            open: RwLock::new(Arc::new(nothing_open())),
            media_server: OnceCell::new(),
            sync: Mutex::new(None),
            on_change: RwLock::new(None),
        }
    }

    /// Opens the library the user last had open (or `M3U8V_DB`'s catalog).
    pub async fn open_initial(&self) {
        let opened = match &self.fixed_catalog {
            Some(path) => self.open_fixed(path),
            None => {
                let active = self.with_libraries(|l| Ok(l.active().cloned())).ok().flatten();
                match active {
                    Some(entry) => self.open_entry(&entry, None).await,
                    None => nothing_open(),
                }
            }
        };
        self.install(opened);
    }

    pub fn current(&self) -> Arc<OpenLibrary> {
        self.open.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Who to tell when the open catalog changes (the window's event); set before the
    /// first library opens.
    pub fn set_on_change(&self, notify: Arc<dyn Fn() + Send + Sync>) {
        *self.on_change.write().unwrap_or_else(|e| e.into_inner()) = Some(notify);
    }

    pub fn install(&self, library: OpenLibrary) {
        let library = Arc::new(library);
        *self.open.write().unwrap_or_else(|e| e.into_inner()) = library.clone();
        // The poster cache opens off the first screen's way: the cards ask for their
        // posters as soon as the first page is painted.
        if library.catalog.is_ok() {
            std::thread::spawn(move || {
                let _ = library.posters();
            });
        }
    }

    pub fn with_libraries<T>(&self, work: impl FnOnce(&mut Libraries) -> Result<T, AppError>) -> Result<T, AppError> {
        let mut guard = self.libraries.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_mut() {
            Ok(libraries) => work(libraries),
            Err(e) => Err(e.clone()),
        }
    }

    pub fn library_list(&self) -> Vec<LibraryInfo> {
        let open = self.current();
        self.with_libraries(|l| {
            Ok(l.entries()
                .iter()
                .map(|entry| LibraryInfo {
                    id: entry.id.clone(),
                    name: entry.name.clone(),
                    kind: Some(entry.source.kind()),
                    location: location_of(&entry.source),
                    active: entry.id == open.id,
                })
                .collect())
        })
        .unwrap_or_default()
    }

    /// The loopback server for folder media, started the first time a folder is opened.
    async fn media_server(&self) -> Result<Arc<MediaServer>, AppError> {
        self.media_server
            .get_or_try_init(|| async {
                MediaServer::start().await.map(Arc::new).map_err(|e| {
                    AppError::new(
                        ErrorKind::Internal,
                        format!("cannot start the media server for folder libraries: {e}"),
                    )
                })
            })
            .await
            .cloned()
    }

    /// Opens the library `id` and makes it the one the app opens next time.
    pub async fn switch_to(&self, id: &str) -> Result<(), AppError> {
        let entry = self.with_libraries(|l| {
            let entry = l.find(id)?.clone();
            l.set_active(&entry.id)?;
            Ok(entry)
        })?;
        let opened = self.open_entry(&entry, None).await;
        self.install(opened);
        Ok(())
    }

    /// Opens `entry`: its catalog, and its source with `secret` when one was just typed.
    pub async fn open_entry(&self, entry: &LibraryEntry, secret: Option<(Secret, SecretSource)>) -> OpenLibrary {
        let (catalog_path, folder) = self
            .with_libraries(|l| Ok((l.catalog_path(entry), l.library_folder(entry))))
            .unwrap_or_else(|_| (PathBuf::from(&entry.catalog), PathBuf::new()));
        let catalog = open_catalog(&catalog_path);
        let settings = match &entry.source {
            // The AWS environment variables override a saved bucket, as in the CLI.
            SourceSettings::Bucket(saved) => Profile::resolve_over(&ProfileOverrides::default(), Some(saved))
                .map(SourceSettings::Bucket)
                .unwrap_or_else(|_| entry.source.clone()),
            folder => folder.clone(),
        };
        let source = self
            .connect(&entry.id, &entry.name, &settings, secret, catalog.as_ref().ok())
            .await;
        if let Err(e) = &source {
            tracing::warn!(library = %entry.name, error = %e, "the library's source is not available");
        }
        let watch = catalog.as_ref().ok().and_then(|c| self.watch(c));
        OpenLibrary {
            id: entry.id.clone(),
            name: entry.name.clone(),
            kind: Some(entry.source.kind()),
            settings: Some(entry.source.clone()),
            catalog_path,
            folder,
            catalog,
            source,
            posters: OnceLock::new(),
            _watch: watch,
        }
    }

    /// Connects a source; a folder's is served by the media server, with `catalog`
    /// deciding which keys exist.
    pub async fn connect(
        &self,
        id: &str,
        name: &str,
        settings: &SourceSettings,
        secret: Option<(Secret, SecretSource)>,
        catalog: Option<&Arc<Catalog>>,
    ) -> Result<Arc<Source>, AppError> {
        let mut options = ConnectOptions {
            url_lifetime: url_lifetime(),
            ..ConnectOptions::default()
        };
        if let SourceSettings::Folder(_) = settings {
            options.media_server = Some((self.media_server().await?, id.to_owned()));
        }
        let source = Source::connect(name, settings, secret, &options)?;
        if let (Some(folder), Some(catalog), Some((server, _))) = (source.folder(), catalog, &options.media_server) {
            server.serve(id, folder.root().to_path_buf(), catalog.clone());
        }
        Ok(Arc::new(source))
    }

    /// Replaces the open library's source (its settings were just saved).
    pub fn replace_source(&self, settings: SourceSettings, source: Arc<Source>) {
        let current = self.current();
        let catalog = current.catalog.clone();
        let watch = catalog.as_ref().ok().and_then(|c| self.watch(c));
        self.install(OpenLibrary {
            id: current.id.clone(),
            name: current.name.clone(),
            kind: Some(settings.kind()),
            settings: Some(settings),
            catalog_path: current.catalog_path.clone(),
            folder: current.folder.clone(),
            catalog,
            source: Ok(source),
            posters: OnceLock::new(),
            _watch: watch,
        });
    }

    /// Closes whatever is open (the library was removed).
    pub fn close(&self) {
        if let Some(server) = self.media_server.get() {
            server.forget(&self.current().id);
        }
        self.install(nothing_open());
    }

    fn watch(&self, catalog: &Arc<Catalog>) -> Option<ChangeWatch> {
        let notify = self.on_change.read().unwrap_or_else(|e| e.into_inner()).clone()?;
        match catalog.watch_changes(WATCH_EVERY, move || notify()) {
            Ok(watch) => Some(watch),
            Err(e) => {
                tracing::warn!(error = %e, "cannot watch the catalog for changes");
                None
            }
        }
    }

    fn open_fixed(&self, path: &Path) -> OpenLibrary {
        let catalog = open_catalog(path);
        let settings = Profile::resolve(&ProfileOverrides::default(), Profile::default_path().ok().as_deref())
            .map(SourceSettings::Bucket)
            .ok();
        let source = match &settings {
            Some(settings) => Source::connect("M3U8V_DB", settings, None, &ConnectOptions::default())
                .map(Arc::new)
                .map_err(AppError::from),
            None => Err(not_connected()),
        };
        let watch = catalog.as_ref().ok().and_then(|c| self.watch(c));
        OpenLibrary {
            id: "env".into(),
            name: path
                .file_stem()
                .map_or_else(|| "catalog".into(), |s| s.to_string_lossy().into_owned()),
            kind: settings.as_ref().map(SourceSettings::kind),
            settings,
            catalog_path: path.to_path_buf(),
            folder: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            catalog,
            source,
            posters: OnceLock::new(),
            _watch: watch,
        }
    }

    /// Claims the one sync slot; the returned guard frees it when the sync ends.
    pub fn begin_sync(self: &Arc<Self>) -> Result<SyncSlot, AppError> {
        let mut slot = self.sync.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_some() {
            return Err(AppError::new(
                ErrorKind::SyncRunning,
                "a sync is already running; wait for it or cancel it",
            ));
        }
        let cancel = CancellationToken::new();
        *slot = Some(cancel.clone());
        Ok(SyncSlot {
            state: self.clone(),
            cancel,
        })
    }

    /// Asks the running sync to stop; false when none runs.
    pub fn cancel_sync(&self) -> bool {
        match &*self.sync.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(cancel) => {
                cancel.cancel();
                true
            }
            None => false,
        }
    }

    pub fn sync_running(&self) -> bool {
        self.sync.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }
}

pub struct SyncSlot {
    state: Arc<AppState>,
    pub cancel: CancellationToken,
}

impl Drop for SyncSlot {
    fn drop(&mut self) {
        *self.state.sync.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

fn open_catalog(path: &Path) -> Result<Arc<Catalog>, AppError> {
    Catalog::open_tuned(path, Tuning::desktop()).map(Arc::new).map_err(|e| {
        tracing::error!(error = %e, "catalog unavailable");
        let e = AppError::from(e);
        AppError::new(ErrorKind::CatalogUnavailable, e.message)
    })
}

fn nothing_open() -> OpenLibrary {
    OpenLibrary {
        id: String::new(),
        name: String::new(),
        kind: None,
        settings: None,
        catalog_path: PathBuf::new(),
        folder: PathBuf::new(),
        catalog: Err(no_library_open()),
        source: Err(not_connected()),
        posters: OnceLock::new(),
        _watch: None,
    }
}

fn no_library_open() -> AppError {
    AppError::new(ErrorKind::NoLibrary, "no library is open yet")
}

fn not_connected() -> AppError {
    AppError::new(ErrorKind::NotConnected, "this library has no bucket or folder set up")
}

fn no_data_dir() -> AppError {
    AppError::new(
        ErrorKind::CatalogUnavailable,
        "no folder for the app's data on this system: set M3U8V_DATA_DIR",
    )
}

pub fn location_of(settings: &SourceSettings) -> String {
    match settings {
        SourceSettings::Bucket(p) => format!("{} at {}", p.bucket, p.endpoint),
        SourceSettings::Folder(f) => f.path.display().to_string(),
    }
}
