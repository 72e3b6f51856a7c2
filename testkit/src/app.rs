//! The built desktop app in a real WebKit window, driven through WebDriver: one
//! `tauri-driver` (and under it WebKitWebDriver and the app) per launch, in a process
//! group of its own that is ended when the [`App`] is closed or dropped.
//!
//! Needs what `scripts/e2e` sets up: `M3U8V_APP` (the app binary), an X display (Xvfb),
//! a D-Bus session with an unlocked Secret Service keychain (gnome-keyring), and
//! `tauri-driver`, `WebKitWebDriver` and `ffmpeg` on PATH.

use std::fs::File;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions, MouseActions, PointerAction};
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::servers::free_port;

/// How long a wait polls before it fails: `M3U8V_E2E_TIMEOUT` seconds, default 20.
pub fn patience() -> Duration {
    let secs = std::env::var("M3U8V_E2E_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

const POLL: Duration = Duration::from_millis(100);

fn on_path(binary: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(binary).is_file()))
        .unwrap_or(false)
}

/// The app binary from `M3U8V_APP`; a clear failure, not a skip, when it is missing.
pub fn app_binary() -> PathBuf {
    let path = std::env::var_os("M3U8V_APP")
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| {
            panic!(
                "M3U8V_APP is not set: these tests drive the built desktop app. Run them with scripts/e2e, \
             or build it (`cargo build -p m3u8-viewer`) and set M3U8V_APP=$CARGO_TARGET_DIR/debug/m3u8-viewer"
            )
        });
    let path = PathBuf::from(path);
    assert!(
        path.is_file(),
        "M3U8V_APP={} is not a file: build the app first (`npm --prefix ui run build && cargo build -p m3u8-viewer`) or run scripts/e2e",
        path.display()
    );
    path
}

/// Everything a launch needs, checked up front so a missing piece fails with its name.
pub fn preflight() {
    app_binary();
    for (binary, install) in [
        ("tauri-driver", "cargo install tauri-driver --locked"),
        ("WebKitWebDriver", "apt-get install webkit2gtk-driver"),
        ("ffmpeg", "apt-get install ffmpeg"),
    ] {
        assert!(
            on_path(binary),
            "`{binary}` is not on PATH; install it with: {install} (or run scripts/setup)"
        );
    }
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    assert!(
        set("DISPLAY"),
        "DISPLAY is not set: the app needs an X display; run these tests with scripts/e2e (xvfb-run)"
    );
    assert!(
        set("DBUS_SESSION_BUS_ADDRESS"),
        "no D-Bus session: the app keeps the bucket secret in the OS keychain (Secret Service); run these tests with scripts/e2e"
    );
    assert!(
        !set("AWS_SECRET_ACCESS_KEY"),
        "AWS_SECRET_ACCESS_KEY is set: these tests check that the app uses the OS keychain; unset it"
    );
}

/// Where screenshots go: `M3U8V_E2E_SHOTS`, else `e2e-shots` in the cargo target folder.
pub fn shots_dir() -> PathBuf {
    let dir = match std::env::var_os("M3U8V_E2E_SHOTS").filter(|p| !p.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("CARGO_TARGET_DIR")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
            .join("e2e-shots"),
    };
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// The driver's (and the app's) output of each launch, kept beside the screenshots.
fn log_path(test: &str) -> PathBuf {
    static LAUNCHES: AtomicUsize = AtomicUsize::new(0);
    let dir = shots_dir().join("logs");
    std::fs::create_dir_all(&dir).expect("a log folder");
    let n = LAUNCHES.fetch_add(1, Ordering::SeqCst);
    dir.join(format!("{test}-{n}.log"))
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// `tauri-driver` and everything it started (WebKitWebDriver, the app), as one process
/// group: ended together, and waited for, so a relaunch on the same data folder starts
/// after the previous app has let go of its catalog.
struct Driver {
    child: Child,
    pgid: u32,
    log: PathBuf,
}

impl Driver {
    fn spawn(app_env: &[(&str, &std::ffi::OsStr)], port: u16, native_port: u16, log: PathBuf) -> Driver {
        use std::os::unix::process::CommandExt;
        let out = File::create(&log).unwrap_or_else(|e| panic!("cannot create {}: {e}", log.display()));
        let mut command = Command::new("tauri-driver");
        command
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("a log handle"))
            .stderr(out)
            .process_group(0);
        // tauri-driver hands its environment on to the app. Nothing of the developer's
        // own bucket may leak in: the app must use only the profile and keychain it is given.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            if name.starts_with("AWS_") || name.starts_with("M3U8V_") {
                command.env_remove(name.as_ref());
            }
        }
        command.env("M3U8V_LOG", "info");
        for (name, value) in app_env {
            command.env(name, value);
        }
        let child = command.spawn().expect("tauri-driver starts");
        let pgid = child.id();
        Driver { child, pgid, log }
    }

    fn wait_listening(&mut self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "tauri-driver exited before listening ({status}); its output ({}):\n{}",
                    self.log.display(),
                    tail(&self.log, 40)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "tauri-driver did not listen on 127.0.0.1:{port} within 30 s; log: {}",
            self.log.display()
        );
    }

    /// The live (not zombie) processes of the group: `(pid, name)`.
    fn members(&self) -> Vec<(u32, String)> {
        let mut found = Vec::new();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return found;
        };
        for entry in entries.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                continue;
            };
            let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
            let (Some(state), Some(pgrp)) = (fields.first(), fields.get(2)) else {
                continue;
            };
            if *state != "Z" && *state != "X" && pgrp.parse::<u32>().ok() == Some(self.pgid) {
                found.push((pid, stat[open + 1..close].to_owned()));
            }
        }
        found
    }

    fn signal(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([signal, "--", &format!("-{}", self.pgid)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    /// Ends the group: SIGTERM, up to 10 s for everything in it to exit, then SIGKILL.
    fn stop(&mut self) {
        self.signal("-TERM");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let _ = self.child.try_wait();
            if self.members().is_empty() {
                break;
            }
            if Instant::now() > deadline {
                self.signal("-KILL");
                std::thread::sleep(Duration::from_millis(200));
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One running app and its WebDriver session.
pub struct App {
    pub client: Client,
    driver: Driver,
    /// Names screenshots and logs.
    pub test: String,
    pub data_dir: PathBuf,
}

impl App {
    /// Starts the app with `M3U8V_DATA_DIR=data_dir` (its catalog, profile and, under
    /// `webview/`, WebKit's own storage, so a relaunch on the same folder is a real restart)
    /// and waits for its page to load.
    pub async fn launch(test: &str, data_dir: &Path) -> App {
        Self::launch_with(test, data_dir, &[]).await
    }

    /// [`App::launch`] with more of the app's environment: `(name, value)` pairs set for
    /// the app only (a secret in `AWS_SECRET_ACCESS_KEY`, a D-Bus address that leads
    /// nowhere, a short URL lifetime).
    pub async fn launch_with(test: &str, data_dir: &Path, env: &[(&str, &str)]) -> App {
        preflight();
        let app = app_binary();
        let webview = data_dir.join("webview");
        let (xdg_data, xdg_cache, xdg_config) = (webview.join("data"), webview.join("cache"), webview.join("config"));
        for dir in [&xdg_data, &xdg_cache, &xdg_config] {
            std::fs::create_dir_all(dir).expect("a webview folder");
        }
        let (port, native_port) = (free_port(), free_port());
        let log = log_path(test);
        let mut app_env: Vec<(&str, &std::ffi::OsStr)> = vec![
            ("M3U8V_DATA_DIR", data_dir.as_os_str()),
            ("XDG_DATA_HOME", xdg_data.as_os_str()),
            ("XDG_CACHE_HOME", xdg_cache.as_os_str()),
            ("XDG_CONFIG_HOME", xdg_config.as_os_str()),
        ];
        app_env.extend(env.iter().map(|(name, value)| (*name, std::ffi::OsStr::new(*value))));
        let mut driver = Driver::spawn(&app_env, port, native_port, log);
        driver.wait_listening(port);

        // `tauri:options` must reach tauri-driver inside `capabilities.alwaysMatch`, which
        // is where fantoccini puts the capabilities it is given.
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("tauri:options".into(), json!({ "application": app }));
        let url = format!("http://127.0.0.1:{port}");
        // tauri-driver listens before the WebKitWebDriver it started does: a session asked
        // for in between fails to connect (seen on a loaded machine), so that is retried.
        let mut attempts = 0;
        let client = loop {
            attempts += 1;
            let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            builder.capabilities(capabilities.clone());
            match tokio::time::timeout(Duration::from_secs(60), builder.connect(&url)).await {
                Ok(Ok(client)) => break client,
                Ok(Err(e)) if attempts < 4 && e.to_string().contains("SendRequest") => {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Ok(Err(e)) => panic!(
                    "no WebDriver session with the app {} after {attempts} attempts: {e}\ndriver log ({}):\n{}",
                    app.display(),
                    driver.log.display(),
                    tail(&driver.log, 40)
                ),
                Err(_) => panic!(
                    "no WebDriver session with the app within 60 s; driver log ({}):\n{}",
                    driver.log.display(),
                    tail(&driver.log, 40)
                ),
            }
        };
        let app = App {
            client,
            driver,
            test: test.to_owned(),
            data_dir: data_dir.to_owned(),
        };
        app.until("the page to finish loading", async |app: &App| {
            let ready = app
                .client
                .execute(
                    "return document.readyState === 'complete' && !!document.body && document.body.childElementCount > 0",
                    vec![],
                )
                .await?;
            Ok(ready.as_bool().unwrap_or(false).then_some(()))
        })
        .await;
        app
    }

    /// Ends the session (the app closes its window) and the driver, and waits until every
    /// process of the launch has exited.
    pub async fn close(self) {
        let App { client, mut driver, .. } = self;
        let _ = tokio::time::timeout(Duration::from_secs(15), client.close()).await;
        driver.stop();
    }

    /// The processes of this launch, for diagnostics: `(pid, name)`.
    pub fn processes(&self) -> Vec<(u32, String)> {
        self.driver.members()
    }

    pub fn log(&self) -> &Path {
        &self.driver.log
    }

    /// Polls `probe` every 100 ms until it answers `Some`, for up to [`patience`]. A probe
    /// error (a stale or missing element, say) counts as "not yet". On time-out, fails
    /// naming what was awaited, with the page's state and a screenshot.
    pub async fn until<T>(&self, what: &str, probe: impl AsyncFn(&App) -> Result<Option<T>, CmdError>) -> T {
        self.until_within(what, patience(), probe).await
    }

    /// [`App::until`] with its own time limit, for what takes longer than a wait usually
    /// does (the player's 15 s load limit).
    pub async fn until_within<T>(
        &self,
        what: &str,
        within: Duration,
        probe: impl AsyncFn(&App) -> Result<Option<T>, CmdError>,
    ) -> T {
        let deadline = Instant::now() + within;
        let mut last_error = None;
        loop {
            // A hung app must not hang the test: each probe gets the time left (at least 5 s).
            let left = deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_secs(5));
            match tokio::time::timeout(left, probe(self)).await {
                Ok(Ok(Some(value))) => return value,
                Ok(Ok(None)) => {}
                Ok(Err(e)) => last_error = Some(e.to_string()),
                Err(_) => last_error = Some(format!("a WebDriver command did not answer within {left:?}")),
            }
            if Instant::now() > deadline {
                let detail = last_error.map(|e| format!("last error: {e}\n")).unwrap_or_default();
                self.fail(&format!("timed out after {within:?} waiting for {what}\n{detail}"))
                    .await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The answer to one WebDriver command, waited for at most [`patience`]: a hung web
    /// process never answers, and the test must fail saying so, not wait forever.
    async fn answered<T, E: std::fmt::Display>(&self, what: &str, command: impl Future<Output = Result<T, E>>) -> T {
        match tokio::time::timeout(patience(), command).await {
            Ok(Ok(value)) => value,
            Ok(Err(e)) => self.fail(&format!("{what} failed: {e}")).await,
            Err(_) => {
                self.fail(&format!(
                    "{what}: no answer within {:?} (is the web process hung?)",
                    patience()
                ))
                .await
            }
        }
    }

    /// Fails the test with `message`, the page's state, a screenshot and the log's tail.
    pub async fn fail(&self, message: &str) -> ! {
        let state = tokio::time::timeout(Duration::from_secs(10), self.page_state())
            .await
            .unwrap_or_else(|_| "(the page did not answer within 10 s)".into());
        let failed = shots_dir().join(format!("FAILED-{}.png", self.test));
        let shot = match self.grab_window(&failed).await {
            Ok(()) => Some(failed.display().to_string()),
            Err(_) => None,
        };
        panic!(
            "{message}\n--- page ---\n{state}\n--- screenshot: {} ---\n--- driver/app log ({}), last lines ---\n{}",
            shot.unwrap_or_else(|| "none".into()),
            self.driver.log.display(),
            tail(&self.driver.log, 25)
        );
    }

    /// The URL, the title and an excerpt of the body's text: what a person would see.
    pub async fn page_state(&self) -> String {
        let state = self
            .client
            .execute(
                "return {url: location.href, title: document.title, \
                 text: document.body ? document.body.innerText : '(no body)', \
                 testids: [...new Set([...document.querySelectorAll('[data-testid]')].map(e => e.dataset.testid))]}",
                vec![],
            )
            .await;
        match state {
            Ok(v) => {
                let text = v["text"].as_str().unwrap_or_default();
                let excerpt: String = text.chars().take(1500).collect();
                format!(
                    "url: {}\ntitle: {}\ntest ids present: {}\nbody text{}:\n{excerpt}",
                    v["url"].as_str().unwrap_or("?"),
                    v["title"].as_str().unwrap_or("?"),
                    v["testids"],
                    if text.chars().count() > 1500 {
                        " (first 1500 chars)"
                    } else {
                        ""
                    },
                )
            }
            Err(e) => format!("(the page could not be read: {e})"),
        }
    }

    /// Lets the page paint what it has: two animation frames, then up to a second for
    /// finite CSS animations and transitions (a fade-in) to end. Cosmetic, for screenshots:
    /// it asserts nothing.
    pub async fn settle(&self) {
        let frames = "const done = arguments[arguments.length - 1]; \
                      requestAnimationFrame(() => requestAnimationFrame(() => done(true)))";
        let _ = tokio::time::timeout(Duration::from_secs(2), self.client.execute_async(frames, vec![])).await;
        let deadline = Instant::now() + Duration::from_secs(1);
        let running = "return document.getAnimations().some(a => a.playState === 'running' \
                       && Number.isFinite(a.effect?.getComputedTiming().endTime))";
        while Instant::now() < deadline {
            match tokio::time::timeout(Duration::from_secs(2), self.client.execute(running, vec![])).await {
                Ok(Ok(Value::Bool(true))) => tokio::time::sleep(Duration::from_millis(50)).await,
                _ => break,
            }
        }
    }

    /// Saves a screenshot of the window as `<test>-<label>.png` and prints its path.
    pub async fn shot(&self, label: &str) -> PathBuf {
        self.settle().await;
        let path = shots_dir().join(format!("{}-{label}.png", self.test));
        if let Err(e) = self.grab_window(&path).await {
            self.fail(&format!("screenshot {label:?} failed: {e}")).await;
        }
        println!("screenshot: {}", path.display());
        path
    }

    /// The window as the X server shows it (ImageMagick's `import` on the Xvfb display),
    /// cropped to the window. Not WebDriver's screenshot: WebKitWebDriver waits forever
    /// for one when WebKit renders without DMA-BUF, which the app asks for (src-tauri
    /// lib.rs), and the X capture is what a user would see, native video controls included.
    async fn grab_window(&self, path: &Path) -> Result<(), String> {
        // A hung web process leaves WebKitWebDriver's command queue stuck behind the command
        // it never answered, this one too: then the whole display is captured, and the
        // failure it illustrates is reported rather than waited on forever.
        let rect = tokio::time::timeout(Duration::from_secs(5), self.client.get_window_rect()).await;
        let crop = match rect {
            Ok(Ok((x, y, w, h))) => vec![
                "-crop".to_owned(),
                format!("{}x{}+{x}+{y}", w.max(1), h.max(1)),
                "+repage".to_owned(),
            ],
            Ok(Err(e)) => return Err(e.to_string()),
            Err(_) => Vec::new(),
        };
        let status = tokio::time::timeout(
            Duration::from_secs(20),
            tokio::process::Command::new("import")
                .args(["-window", "root"])
                .args(&crop)
                .arg(path)
                .status(),
        )
        .await
        .map_err(|_| "import took over 20 s".to_owned())?
        .map_err(|e| format!("cannot run ImageMagick's import (apt-get install imagemagick): {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("import exited with {status}"))
        }
    }

    /// Runs a script in the page; its `return` value as JSON.
    pub async fn js(&self, script: &str) -> Value {
        self.answered(&format!("the script\n{script}\n"), self.client.execute(script, vec![]))
            .await
    }

    /// The first element matching `css`, waited for.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.until(&format!("an element {css}"), async |app: &App| {
            Ok(app.client.find_all(Locator::Css(css)).await?.into_iter().next())
        })
        .await
    }

    /// Waits until nothing matches `css`.
    pub async fn wait_gone(&self, css: &str) {
        self.until(&format!("no element {css}"), async |app: &App| {
            Ok(app.client.find_all(Locator::Css(css)).await?.is_empty().then_some(()))
        })
        .await
    }

    /// How many elements match `css` now.
    pub async fn count(&self, css: &str) -> usize {
        self.answered(&format!("finding {css}"), self.client.find_all(Locator::Css(css)))
            .await
            .len()
    }

    /// Clicks the element matching `css`, waiting until it is there and takes the click.
    pub async fn click(&self, css: &str) {
        self.until(&format!("a click on {css}"), async |app: &App| {
            match app.client.find_all(Locator::Css(css)).await?.into_iter().next() {
                Some(element) => element.click().await.map(Some),
                None => Ok(None),
            }
        })
        .await
    }

    /// Replaces the value of the input matching `css` with `value`, as a person would:
    /// End, Backspace over what is there, then the new text, each key an input event (a
    /// WebDriver "clear" sets the value without one, which a bound input never hears).
    pub async fn fill(&self, css: &str, value: &str) {
        const END: char = '\u{e010}';
        const BACKSPACE: char = '\u{e003}';
        let input = self.wait_for(css).await;
        let typed = async |keys: &str| -> Result<(), CmdError> {
            let current = input.prop("value").await?.unwrap_or_default();
            let mut erase = String::from(END);
            erase.extend(std::iter::repeat_n(BACKSPACE, current.chars().count()));
            input.send_keys(&erase).await?;
            if !keys.is_empty() {
                input.send_keys(keys).await?;
            }
            Ok(())
        };
        if let Err(e) = typed(value).await {
            self.fail(&format!("typing {value:?} into {css} failed: {e}")).await;
        }
        self.until(&format!("{css} to hold {value:?}"), async |_app: &App| {
            Ok((input.prop("value").await?.unwrap_or_default() == value).then_some(()))
        })
        .await;
    }

    /// The visible text of the element matching `css`, waited for.
    pub async fn text(&self, css: &str) -> String {
        let element = self.wait_for(css).await;
        self.answered(&format!("reading the text of {css}"), element.text())
            .await
    }

    /// An attribute of the element matching `css`, waited for.
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        let element = self.wait_for(css).await;
        self.answered(&format!("reading {name} of {css}"), element.attr(name))
            .await
    }

    /// Waits until the element matching `css` has attribute `name` equal to `value`.
    pub async fn wait_attr(&self, css: &str, name: &str, value: &str) {
        self.until(&format!("{css} to have {name}={value:?}"), async |app: &App| match app
            .client
            .find_all(Locator::Css(css))
            .await?
            .into_iter()
            .next()
        {
            Some(element) => Ok((element.attr(name).await?.as_deref() == Some(value)).then_some(())),
            None => Ok(None),
        })
        .await
    }

    /// Moves the mouse pointer onto the centre of the element matching `css`.
    pub async fn hover(&self, css: &str) {
        self.until(&format!("the pointer to move onto {css}"), async |app: &App| {
            let Some(element) = app.client.find_all(Locator::Css(css)).await?.into_iter().next() else {
                return Ok(None);
            };
            let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
                element,
                duration: Some(Duration::from_millis(100)),
                x: 0.0,
                y: 0.0,
            });
            app.client.perform_actions(mouse).await.map(Some)
        })
        .await
    }

    /// Moves the pointer to the window's top-left corner, off every card.
    pub async fn unhover(&self) {
        let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
            duration: Some(Duration::from_millis(50)),
            x: 1.0,
            y: 1.0,
        });
        self.answered("moving the pointer away", self.client.perform_actions(mouse))
            .await;
    }

    /// Presses and releases a key (a character, or a WebDriver key code such as
    /// `'\u{e00c}'` for Escape).
    pub async fn press(&self, key: char) {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.answered(&format!("pressing {key:?}"), self.client.perform_actions(keys))
            .await;
    }

    /// Presses and releases Escape.
    pub async fn press_escape(&self) {
        const ESCAPE: char = '\u{e00c}';
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: ESCAPE })
            .then(KeyAction::Up { value: ESCAPE });
        self.answered("pressing Escape", self.client.perform_actions(keys))
            .await;
    }

    /// `currentTime` of the first `<video>` matching `css`, when there is one.
    pub async fn video_time(&self, css: &str) -> Option<f64> {
        let script = format!(
            "const v = document.querySelector({}); return v ? v.currentTime : null",
            serde_json::to_string(css).unwrap()
        );
        self.js(&script).await.as_f64()
    }

    /// Waits until the `<video>` matching `css` has played past `seconds` and then moved on
    /// again: it plays, rather than showing a frame.
    pub async fn wait_playing(&self, css: &str, seconds: f64) -> f64 {
        let script = format!(
            "const v = document.querySelector({}); return v ? \
             {{t: v.currentTime, paused: v.paused, ready: v.readyState, error: v.error ? v.error.code : null, src: v.currentSrc}} : null",
            serde_json::to_string(css).unwrap()
        );
        let script = script.as_str();
        let first = self
            .until(&format!("{css} to play past {seconds} s"), async |app: &App| {
                let v = app.client.execute(script, vec![]).await?;
                Ok(v["t"].as_f64().filter(|t| *t > seconds))
            })
            .await;
        self.until(
            &format!("{css} to keep playing after {first:.2} s"),
            async |app: &App| {
                let v = app.client.execute(script, vec![]).await?;
                Ok(v["t"].as_f64().filter(|t| *t > first))
            },
        )
        .await
    }

    /// The `data-key` of every video card, in the grid's order.
    pub async fn card_keys(&self) -> Vec<String> {
        let keys = self
            .js("return [...document.querySelectorAll('[data-testid=video-card]')].map(c => c.dataset.key)")
            .await;
        serde_json::from_value(keys).unwrap_or_default()
    }

    /// Waits until the grid's cards satisfy `want` (given their keys in order) and returns them.
    pub async fn wait_cards(&self, what: &str, want: impl Fn(&[String]) -> bool) -> Vec<String> {
        let script = "return [...document.querySelectorAll('[data-testid=video-card]')].map(c => c.dataset.key)";
        self.until(&format!("the grid to show {what}"), async |app: &App| {
            let keys: Vec<String> =
                serde_json::from_value(app.client.execute(script, vec![]).await?).unwrap_or_default();
            Ok(want(&keys).then_some(keys))
        })
        .await
    }

    /// Waits until the text of `css` satisfies `want` and returns it.
    pub async fn wait_text(&self, css: &str, what: &str, want: impl Fn(&str) -> bool) -> String {
        self.until(&format!("{css} to read {what}"), async |app: &App| {
            match app.client.find_all(Locator::Css(css)).await?.into_iter().next() {
                Some(element) => {
                    let text = element.text().await?;
                    Ok(want(&text).then_some(text))
                }
                None => Ok(None),
            }
        })
        .await
    }

    /// [`App::wait_text`] on the element's `textContent`: WebKitWebDriver's visible-text
    /// rules leave out a `text-overflow: ellipsis` span inside a flex button (the library
    /// switcher's name read "▤ ▾" while the window showed it whole).
    pub async fn wait_content(&self, css: &str, what: &str, want: impl Fn(&str) -> bool) -> String {
        self.until(&format!("{css} to hold {what}"), async |app: &App| {
            let found = app
                .client
                .execute(
                    "return document.querySelector(arguments[0])?.textContent ?? null",
                    vec![Value::String(css.to_owned())],
                )
                .await?;
            Ok(found.as_str().filter(|text| want(text)).map(str::to_owned))
        })
        .await
    }

    /// The page's whole HTML and visible text, for checking what must never be on it.
    pub async fn page_source(&self) -> String {
        let v = self
            .js(
                "return document.documentElement.outerHTML + '\\n' + document.body.innerText + '\\n' + \
                 [...document.querySelectorAll('input')].map(i => i.value).join('\\n')",
            )
            .await;
        v.as_str().unwrap_or_default().to_owned()
    }
}

/// A CSS selector for the card of `key`.
pub fn card(key: &str) -> String {
    format!(
        "[data-testid=video-card][data-key={}]",
        serde_json::to_string(key).unwrap()
    )
}
