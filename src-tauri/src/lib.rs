//! M3U8 Viewer's desktop shell: a thin Tauri 2 front over `m3u8v-core`, like the CLI.
//! Everything the app knows lives in core; this crate opens the catalog, exposes it as
//! commands, and turns errors into `{kind, message}` for the UI.
//!
//! The CSP (tauri.conf.json) lets media load from any http(s) origin for now.
//! TODO(app issue): narrow media-src to the configured bucket endpoint once the profile
//! is part of the app (a CSP is fixed at build time, so this means a runtime header).

mod commands;
mod error;
mod state;

pub use error::{AppError, ErrorKind};

use tracing_subscriber::EnvFilter;

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("M3U8V_LOG").unwrap_or_else(|_| EnvFilter::new("warn")))
        .with_writer(std::io::stderr)
        .init();

    let library = state::Library::open(m3u8v_core::paths::catalog_path(None));

    let result = tauri::Builder::default()
        .manage(library)
        .invoke_handler(tauri::generate_handler![
            commands::library::list_page,
            commands::library::count,
            commands::library::creators,
            commands::video::get_video,
            commands::video::set_favorite,
            commands::video::mark_seen,
            commands::video::save_position,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        // Only reachable when the webview cannot start; there is no window to say it in.
        tracing::error!(error = %e, "the window could not start");
        std::process::exit(1);
    }
}
