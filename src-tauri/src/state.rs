//! What the commands share: the catalog (opened once at startup), the bucket connection
//! (replaced when the user saves a profile), and the running sync.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use m3u8v_core::{Catalog, Profile, ProfileOverrides, Tuning};
use tokio::sync::Notify;

use crate::connection::Connection;
use crate::error::{AppError, ErrorKind};

pub struct AppState {
    catalog: Result<Arc<Catalog>, AppError>,
    pub catalog_path: Option<PathBuf>,
    pub profile_path: Option<PathBuf>,
    /// The profile as last saved or found at startup, even when it cannot connect.
    profile: RwLock<Option<Profile>>,
    connection: RwLock<Result<Arc<Connection>, AppError>>,
    /// Wakes the running sync to stop it; `None` when no sync runs.
    sync: Mutex<Option<Arc<Notify>>>,
}

impl AppState {
    pub fn open(catalog_path: Option<PathBuf>, profile_path: Option<PathBuf>) -> AppState {
        let catalog = match &catalog_path {
            None => Err(AppError::new(
                ErrorKind::CatalogUnavailable,
                "no folder for the catalog: set M3U8V_DB or M3U8V_DATA_DIR",
            )),
            Some(path) => Catalog::open_tuned(path, Tuning::desktop()).map(Arc::new).map_err(|e| {
                let e = AppError::from(e);
                AppError::new(ErrorKind::CatalogUnavailable, e.message)
            }),
        };
        if let Err(e) = &catalog {
            tracing::error!(error = %e, "catalog unavailable");
        }
        let (profile, connection) = Self::connect_saved(profile_path.as_deref());
        AppState {
            catalog,
            catalog_path,
            profile_path,
            profile: RwLock::new(profile),
            connection: RwLock::new(connection),
            sync: Mutex::new(None),
        }
    }

    /// The saved profile (with the AWS environment variables over it, as in the CLI) and
    /// a connection made from it. Nothing configured is not an error worth logging.
    fn connect_saved(path: Option<&std::path::Path>) -> (Option<Profile>, Result<Arc<Connection>, AppError>) {
        match Profile::resolve(&ProfileOverrides::default(), path) {
            Ok(profile) => {
                let connection = Connection::open(&profile, None).map(Arc::new);
                if let Err(e) = &connection {
                    tracing::warn!(error = %e, "the saved profile does not connect");
                }
                (Some(profile), connection)
            }
            Err(m3u8v_core::ProfileError::Incomplete { .. }) => (
                None,
                Err(AppError::new(
                    ErrorKind::NotConnected,
                    "no bucket is set up yet: open Settings and connect one",
                )),
            ),
            Err(e) => (None, Err(e.into())),
        }
    }

    /// A handle the blocking pool can own; the catalog is shared, not copied.
    pub fn catalog(&self) -> Result<Arc<Catalog>, AppError> {
        self.catalog.clone()
    }

    pub fn connection(&self) -> Result<Arc<Connection>, AppError> {
        self.connection.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn profile(&self) -> Option<Profile> {
        self.profile.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The profile just saved becomes the one every command uses.
    pub fn replace_connection(&self, profile: Profile, connection: Arc<Connection>) {
        *self.profile.write().unwrap_or_else(|e| e.into_inner()) = Some(profile);
        *self.connection.write().unwrap_or_else(|e| e.into_inner()) = Ok(connection);
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
        let stop = Arc::new(Notify::new());
        *slot = Some(stop.clone());
        Ok(SyncSlot {
            state: self.clone(),
            stop,
        })
    }

    /// Asks the running sync to stop; false when none runs.
    pub fn cancel_sync(&self) -> bool {
        match &*self.sync.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(stop) => {
                // notify_one keeps the wake-up if the sync is not waiting yet.
                stop.notify_one();
                true
            }
            None => false,
        }
    }
}

pub struct SyncSlot {
    state: Arc<AppState>,
    pub stop: Arc<Notify>,
}

impl Drop for SyncSlot {
    fn drop(&mut self) {
        *self.state.sync.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
