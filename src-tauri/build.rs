// The app's commands are declared here so each gets a permission (`allow-<command>`),
// and the window's capability lists exactly the ones the UI uses.
const COMMANDS: &[&str] = &[
    "list_page",
    "count",
    "creators",
    "get_video",
    "video_urls",
    "check_media",
    "set_favorite",
    "mark_seen",
    "save_position",
    "delete_video",
    "get_settings",
    "check_profile",
    "save_profile",
    "open_library",
    "check_library",
    "add_folder_library",
    "open_demo_library",
    "rename_library",
    "remove_library",
    "get_view",
    "save_view",
    "sync_library",
    "cancel_sync",
    "random_page",
    "prepare_search",
    "mark_selection",
    "selection_size",
    "delete_selection",
    "list_saved_views",
    "add_saved_view",
    "rename_saved_view",
    "delete_saved_view",
    "poster",
    "poster_source",
    "save_poster",
    "poster_failed",
    "stream_object",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}
