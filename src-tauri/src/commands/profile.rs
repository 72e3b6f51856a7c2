//! Settings: the bucket connection profile and where things live. The secret comes in
//! from the form once, goes to the OS keychain, and is never sent back.

use std::sync::Arc;

use m3u8v_core::{Profile, ProfileError, Secret, SecretSource};
use serde::{Deserialize, Serialize};

use super::App;
use crate::connection::Connection;
use crate::error::{AppError, ErrorKind};
use crate::state::AppState;

/// The settings form as the user filled it in.
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
    /// The profile, checked: every field present, an http(s) endpoint.
    fn profile(&self) -> Result<Profile, AppError> {
        let missing: Vec<&str> = [
            ("endpoint", &self.endpoint),
            ("bucket", &self.bucket),
            ("access key id", &self.access_key_id),
        ]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(name, _)| name)
        .collect();
        if !missing.is_empty() {
            return Err(AppError::new(
                ErrorKind::Invalid,
                format!("fill in the {}", missing.join(", ")),
            ));
        }
        let region = self.region.trim();
        let profile = Profile {
            endpoint: self.endpoint.trim().trim_end_matches('/').to_owned(),
            bucket: self.bucket.trim().to_owned(),
            region: if region.is_empty() {
                m3u8v_core::profile::DEFAULT_REGION.to_owned()
            } else {
                region.to_owned()
            },
            access_key_id: self.access_key_id.trim().to_owned(),
            path_style: self.path_style,
        };
        profile.validate()?;
        Ok(profile)
    }

    fn secret(&self) -> Option<Secret> {
        self.secret.as_deref().filter(|s| !s.is_empty()).map(Secret::new)
    }
}

/// What the settings screen shows. No secret: only where it comes from.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub profile: Option<Profile>,
    /// Why the profile does not connect, when it does not.
    pub connection_error: Option<AppError>,
    pub secret_source: Option<SecretSource>,
    /// The origin media is allowed from (the content security policy's `media-src`).
    pub media_origin: Option<String>,
    pub catalog_path: Option<String>,
    pub catalog_error: Option<AppError>,
    pub profile_path: Option<String>,
}

fn settings(state: &AppState) -> Settings {
    let connection = state.connection();
    Settings {
        profile: state.profile(),
        connection_error: connection.as_ref().err().cloned(),
        secret_source: connection.as_ref().ok().map(|c| c.secret_source),
        media_origin: connection.as_ref().ok().map(|c| c.media_origin().to_owned()),
        catalog_path: state.catalog_path.as_ref().map(|p| p.display().to_string()),
        catalog_error: state.catalog().err(),
        profile_path: state.profile_path.as_ref().map(|p| p.display().to_string()),
    }
}

#[tauri::command]
pub fn get_settings(app: App<'_>) -> Settings {
    settings(&app)
}

/// One request that needs the endpoint, bucket, key id, secret and clock to be right.
/// Saves nothing.
#[tauri::command]
pub async fn check_profile(form: ProfileForm) -> Result<String, AppError> {
    let profile = form.profile()?;
    let connection = Connection::open(&profile, form.secret())?;
    connection.bucket().check().await?;
    Ok(format!(
        "Connected: bucket \"{}\" at {} accepts access key {}.",
        profile.bucket, profile.endpoint, profile.access_key_id
    ))
}

/// Saves the profile (and the secret, to the keychain) and connects with it. Nothing is
/// saved when any part fails.
#[tauri::command]
pub async fn save_profile(app: App<'_>, form: ProfileForm) -> Result<Settings, AppError> {
    let state: Arc<AppState> = app.inner().clone();
    let profile = form.profile()?;
    let secret = form.secret();
    let path = state
        .profile_path
        .clone()
        .ok_or_else(|| AppError::from(ProfileError::NoDataDir))?;
    tauri::async_runtime::spawn_blocking(move || {
        // A typed secret is stored in the keychain (the connection then names it as the
        // source); without one, the stored secret or AWS_SECRET_ACCESS_KEY is used as is.
        let connection = Connection::open(&profile, secret.clone())?;
        if let Some(secret) = &secret {
            profile.store_secret(secret)?;
        }
        profile.save(&path)?;
        state.replace_connection(profile, Arc::new(connection));
        Ok(settings(&state))
    })
    .await?
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
        assert_eq!(e.message, "fill in the bucket, access key id");
        let e = ProfileForm {
            endpoint: "ftp://x".into(),
            ..form()
        }
        .profile()
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid);
    }
}
