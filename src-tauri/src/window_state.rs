//! The window's size and place, written as they change and not only on a clean exit.
//!
//! `tauri-plugin-window-state` saves on close and exit; an app that is killed (a logout,
//! a crash, a session ended from outside, as the end-to-end tests do) would come back at
//! the size it had before. So a resize or a move saves too, once the window has kept
//! still for a moment (a drag sends dozens of events).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tauri::{Manager, Window, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// How long the window keeps still before its state is written.
const SETTLE: Duration = Duration::from_millis(400);

/// Bumped by every resize or move; a pending save that sees a newer one leaves it to it.
static LATEST: AtomicU64 = AtomicU64::new(0);

pub fn keep_on_change(window: &Window, event: &WindowEvent) {
    if !matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
        return;
    }
    let this = LATEST.fetch_add(1, Ordering::SeqCst) + 1;
    let app = window.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SETTLE).await;
        if LATEST.load(Ordering::SeqCst) == this
            && let Err(e) = app.save_window_state(StateFlags::all())
        {
            tracing::warn!(error = %e, "could not keep the window's size and place");
        }
    });
}
