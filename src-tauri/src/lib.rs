//! M3U8 Viewer's desktop shell: a thin Tauri 2 front over `m3u8v-core`, like the CLI.
//! Everything the app knows lives in core; this crate opens the user's libraries,
//! exposes one command per user action, tells the page when the catalog changed, and
//! turns errors into `{kind, message}` for the UI.

pub mod bindings;
mod commands;
mod csp;
mod demo;
mod error;
mod state;
mod window_state;

use std::sync::Arc;

pub use error::{AppError, ErrorKind};

use tauri::http::header::{CONTENT_SECURITY_POLICY, HeaderValue};
use tauri::{Emitter, Manager, Theme, window::Color};
use tauri::{WebviewUrl, WebviewWindowBuilder};
use tracing_subscriber::EnvFilter;

pub fn run() {
    prefer_webkit_shared_memory_rendering();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("M3U8V_LOG").unwrap_or_else(|_| EnvFilter::new("warn")))
        .with_writer(std::io::stderr)
        .init();

    let state = Arc::new(state::AppState::new(m3u8v_core::paths::data_dir()));

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .on_window_event(window_state::keep_on_change)
        .manage(state)
        .setup(|app| {
            let state = app.state::<Arc<state::AppState>>().inner().clone();
            // Every commit to the open catalog (a sync's batch, the user's own change,
            // another program's) tells the page, which refreshes what it shows in place.
            let handle = app.handle().clone();
            state.set_on_change(Arc::new(move || {
                let _ = handle.emit("catalog-changed", ());
            }));
            tauri::async_runtime::block_on(state.open_initial());
            open_main_window(app)?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::grid::list_page,
            commands::grid::count,
            commands::grid::random_page,
            commands::grid::prepare_search,
            commands::posters::poster,
            commands::posters::poster_source,
            commands::posters::save_poster,
            commands::posters::poster_failed,
            commands::selection::mark_selection,
            commands::selection::selection_size,
            commands::selection::delete_selection,
            commands::saved_views::list_saved_views,
            commands::saved_views::add_saved_view,
            commands::saved_views::rename_saved_view,
            commands::saved_views::delete_saved_view,
            commands::grid::creators,
            commands::video::get_video,
            commands::video::video_urls,
            commands::video::stream_object,
            commands::video::check_media,
            commands::video::set_favorite,
            commands::video::mark_seen,
            commands::video::save_position,
            commands::video::delete_video,
            commands::settings::get_settings,
            commands::settings::check_profile,
            commands::settings::save_profile,
            commands::libraries::open_library,
            commands::libraries::check_library,
            commands::libraries::add_folder_library,
            commands::libraries::open_demo_library,
            commands::libraries::rename_library,
            commands::libraries::remove_library,
            commands::view::get_view,
            commands::view::save_view,
            commands::sync::sync_library,
            commands::sync::cancel_sync,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        // Only reachable when the webview cannot start; there is no window to say it in.
        tracing::error!(error = %e, "the window could not start");
        std::process::exit(1);
    }
}

/// WebKitGTK's DMA-BUF renderer composites through the GL driver. Where that is Mesa's
/// software GL (no GPU driver: virtual machines, remote desktops, Xvfb) each frame of a
/// scrolling grid took 30-100 ms here; WebKit's older path took 16-20 ms on the same
/// machine (BENCHMARKS.md). Set `WEBKIT_DISABLE_DMABUF_RENDERER=0` to keep DMA-BUF.
fn prefer_webkit_shared_memory_rendering() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        // SAFETY: called first thing in `run`, before Tauri, GTK or the async runtime
        // start any thread that could read the environment.
        unsafe { std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1") };
    }
}

/// The window, made here rather than in tauri.conf.json so each page load gets a content
/// security policy whose `media-src` names where the open library's media comes from at
/// that moment (its bucket, or the loopback server of a folder).
fn open_main_window(app: &tauri::App) -> tauri::Result<()> {
    let state = app.state::<Arc<state::AppState>>().inner().clone();
    WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
        .title("M3U8 Viewer")
        .inner_size(1280.0, 800.0)
        .min_inner_size(720.0, 480.0)
        .theme(Some(Theme::Dark))
        .background_color(Color(0x12, 0x13, 0x18, 0xff))
        .on_web_resource_request(move |_request, response| {
            let Some(policy) = response.headers().get(CONTENT_SECURITY_POLICY) else {
                return;
            };
            let origin = state.current().media_origin();
            let policy = csp::with_media_origin(policy.to_str().unwrap_or_default(), origin.as_deref());
            if let Ok(value) = HeaderValue::from_str(&policy) {
                response.headers_mut().insert(CONTENT_SECURITY_POLICY, value);
            }
        })
        .build()?;
    Ok(())
}
