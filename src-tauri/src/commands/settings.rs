//! Settings: the open library, the list of libraries, a bucket library's connection, and
//! where things live. A bucket's secret comes in from the form once, goes to the OS
//! keychain (or, where there is none, the environment's is used and said to be), and is
//! never sent back.

use std::sync::Arc;

use m3u8v_core::{Profile, Secret, SecretSource, SourceSettings, SyncRecord};
use serde::{Deserialize, Serialize};

use super::App;
use crate::error::{AppError, ErrorKind};
use crate::state::{AppState, LibraryInfo, location_of};

/// A bucket library's form as the user filled it in.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileForm {
    pub endpoint: String,
    pub bucket: String,
    #[serde(default)]
    pub region: String,
    pub access_key_id: String,
    #[serde(default)]
    pub path_style: bool,
    /// Typed by the user; empty or absent keeps the stored one.
    #[serde(default)]
    pub secret: Option<String>,
}

impl ProfileForm {
    /// The profile, by core's one set of rules for it.
    fn profile(&self) -> Result<Profile, AppError> {
        Ok(Profile::from_parts(
            &self.endpoint,
            &self.bucket,
            &self.region,
            &self.access_key_id,
            self.path_style,
        )?)
    }

    fn secret(&self) -> Option<Secret> {
        self.secret.as_deref().filter(|s| !s.is_empty()).map(Secret::new)
    }
}

/// What the settings and the library switcher show. No secret: only where it comes from.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub libraries: Vec<LibraryInfo>,
    /// The open library.
    pub library: Option<LibraryInfo>,
    /// Its source's settings (a bucket's profile, a folder's path).
    pub source: Option<SourceSettings>,
    /// Why its source does not connect, when it does not.
    pub connection_error: Option<AppError>,
    /// Where a bucket's secret comes from, when it connected with one.
    pub secret_source: Option<SecretSource>,
    /// The origin media is allowed from (the content security policy's `media-src`).
    pub media_origin: Option<String>,
    pub catalog_path: Option<String>,
    pub catalog_error: Option<AppError>,
    pub data_dir: Option<String>,
    pub sync_running: bool,
    /// The last sync that listed the source to the end.
    pub last_sync: Option<SyncRecord>,
}

pub(crate) fn settings(state: &AppState) -> Settings {
    let open = state.current();
    let source = open.source();
    let libraries = state.library_list();
    let library = (!open.id.is_empty()).then(|| LibraryInfo {
        id: open.id.clone(),
        name: open.name.clone(),
        kind: open.kind,
        location: open.settings.as_ref().map(location_of).unwrap_or_default(),
        active: true,
    });
    Settings {
        libraries,
        library,
        source: open.settings.clone(),
        connection_error: source.as_ref().err().filter(|_| !open.id.is_empty()).cloned(),
        secret_source: source.as_ref().ok().and_then(|s| s.secret_source()),
        media_origin: open.media_origin(),
        catalog_path: (!open.id.is_empty()).then(|| open.catalog_path.display().to_string()),
        catalog_error: open
            .catalog
            .as_ref()
            .err()
            .filter(|e| e.kind != ErrorKind::NoLibrary)
            .cloned(),
        data_dir: state.data_dir.as_ref().map(|p| p.display().to_string()),
        sync_running: state.sync_running(),
        last_sync: open.catalog.as_ref().ok().and_then(|c| c.last_sync().ok().flatten()),
    }
}

#[tauri::command]
pub async fn get_settings(app: App<'_>) -> Result<Settings, AppError> {
    let state: Arc<AppState> = app.inner().clone();
    Ok(tauri::async_runtime::spawn_blocking(move || settings(&state)).await?)
}

/// One request that needs the endpoint, bucket, key id, secret and clock to be right.
/// Saves nothing.
#[tauri::command]
pub async fn check_profile(app: App<'_>, form: ProfileForm) -> Result<String, AppError> {
    let profile = form.profile()?;
    let settings = SourceSettings::Bucket(profile.clone());
    // A typed secret is tried as it would be stored; none: the stored one.
    let secret = form.secret().map(|s| (s, SecretSource::Keychain));
    let source = app.connect("check", &profile.bucket, &settings, secret, None).await?;
    source.check().await?;
    Ok(format!(
        "Connected: bucket \"{}\" at {} accepts access key {}.",
        profile.bucket, profile.endpoint, profile.access_key_id
    ))
}

/// Saves a bucket library's settings and connects with them: the open library's when it
/// is a bucket library and `new_library` is false, else a new library (named after the
/// bucket) that becomes the open one. The secret goes to the keychain; nothing is saved
/// when it cannot be kept.
#[tauri::command]
pub async fn save_profile(app: App<'_>, form: ProfileForm, new_library: bool) -> Result<Settings, AppError> {
    let state: Arc<AppState> = app.inner().clone();
    let profile = form.profile()?;
    let typed = form.secret();
    let keeping = profile.clone();
    let (secret, secret_source) = tauri::async_runtime::spawn_blocking(move || keeping.keep_secret(typed))
        .await?
        .map_err(AppError::from)?;
    let bucket = SourceSettings::Bucket(profile.clone());
    let open = state.current();
    let update = !new_library && matches!(open.settings, Some(SourceSettings::Bucket(_))) && open.id != "env";
    if update {
        state.with_libraries(|l| Ok(l.set_source(&open.id, bucket.clone())?))?;
        let source = state
            .connect(&open.id, &open.name, &bucket, Some((secret, secret_source)), None)
            .await?;
        state.replace_source(bucket, source);
    } else {
        let entry = state.with_libraries(|l| {
            let name = free_name(l, &profile.bucket);
            let entry = l.add(&name, bucket.clone())?;
            l.set_active(&entry.id)?;
            Ok(entry)
        })?;
        let opened = state.open_entry(&entry, Some((secret, secret_source))).await;
        state.install(opened);
    }
    Ok(tauri::async_runtime::spawn_blocking(move || settings(&state)).await?)
}

/// `base`, or `base 2`, `base 3` ...: the first name no library has.
pub(crate) fn free_name(libraries: &m3u8v_core::Libraries, base: &str) -> String {
    let base = if base.trim().is_empty() { "Library" } else { base.trim() };
    let mut name = base.to_owned();
    let mut n = 2;
    while libraries.find(&name).is_ok() {
        name = format!("{base} {n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ProfileForm {
        ProfileForm {
            endpoint: " http://127.0.0.1:9000/ ".into(),
            bucket: "videos".into(),
            region: String::new(),
            access_key_id: "AKID".into(),
            path_style: false,
            secret: Some(String::new()),
        }
    }

    #[test]
    fn a_form_becomes_a_trimmed_profile_with_the_default_region() {
        let p = form().profile().unwrap();
        assert_eq!(p.endpoint, "http://127.0.0.1:9000");
        assert_eq!(p.region, "auto");
        assert!(form().secret().is_none(), "an empty secret keeps the stored one");
    }

    #[test]
    fn a_form_missing_fields_says_which() {
        let e = ProfileForm {
            bucket: " ".into(),
            access_key_id: String::new(),
            ..form()
        }
        .profile()
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert_eq!(
            e.message,
            "the bucket settings are incomplete: fill in the bucket, access key id"
        );
        let e = ProfileForm {
            endpoint: "ftp://x".into(),
            ..form()
        }
        .profile()
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid);
    }
}
