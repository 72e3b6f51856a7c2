//! The loopback HTTP server through which folder media reaches the app's webview.
//!
//! Why a server: WebKitGTK hands a `<video src>` to GStreamer, which cannot read Tauri's
//! `asset://` or custom schemes (tauri-apps/tauri#3725), so local files must come over
//! HTTP, with byte ranges (GStreamer seeks with 206 answers). Built on axum and
//! tower-http's `ServeFile` (ranges, HEAD, content types, conditional requests), not
//! hand-written HTTP.
//!
//! What it lets through: only 127.0.0.1 on a port chosen by the OS; only URLs carrying
//! this run's random token; only keys the library's catalog has (its videos and preview
//! segments), as files inside the library folder (`..`, encoded or not, absolute paths
//! and links out are refused); only requests whose Host is this server (DNS rebinding).
//! It sends no `Access-Control-Allow-Origin`: no other web page may read from it.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rand::RngCore;
use tower::ServiceExt as _;
use tower_http::services::ServeFile;

use super::path_inside;
use crate::catalog::Catalog;

/// A library folder being served, with its catalog to ask which keys exist.
#[derive(Clone)]
struct Served {
    root: PathBuf,
    catalog: Arc<Catalog>,
}

struct Shared {
    token: String,
    /// The Host values a request may carry: this server's address by IP or by name.
    hosts: [String; 2],
    folders: RwLock<HashMap<String, Served>>,
}

/// The running server; it stops when dropped.
pub struct MediaServer {
    address: SocketAddr,
    origin: String,
    shared: Arc<Shared>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl std::fmt::Debug for MediaServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaServer")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl MediaServer {
    /// Starts serving on 127.0.0.1, on a port the OS picks. Serves nothing until a folder
    /// is added with [`MediaServer::serve`].
    pub async fn start() -> std::io::Result<MediaServer> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let address = listener.local_addr()?;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let shared = Arc::new(Shared {
            token,
            hosts: [
                format!("127.0.0.1:{}", address.port()),
                format!("localhost:{}", address.port()),
            ],
            folders: RwLock::new(HashMap::new()),
        });
        let router = Router::new()
            .route("/{token}/{library}/{*key}", get(serve_media))
            .with_state(shared.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let serving = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serving.await {
                tracing::error!(error = %e, "the media server stopped");
            }
        });
        tracing::debug!(%address, "media server listening");
        Ok(MediaServer {
            address,
            origin: format!("http://{address}"),
            shared,
            _stop: stop,
        })
    }

    /// `http://127.0.0.1:<port>`: what the page's content security policy allows media from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Serves the library `library`'s folder `root` (absolute, free of links), with its
    /// catalog deciding which keys exist.
    pub fn serve(&self, library: &str, root: PathBuf, catalog: Arc<Catalog>) {
        self.shared
            .folders
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(library.to_owned(), Served { root, catalog });
    }

    /// Stops serving a library (it was removed or closed).
    pub fn forget(&self, library: &str) {
        self.shared
            .folders
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(library);
    }

    /// The URL of `key` of `library`.
    pub fn url(&self, library: &str, key: &str) -> String {
        let mut url = format!("{}/{}/{}/", self.origin, self.shared.token, encode(library));
        for (i, part) in key.split('/').enumerate() {
            if i > 0 {
                url.push('/');
            }
            url.push_str(&encode(part));
        }
        url
    }
}

/// Percent-encodes one path segment: unreserved characters stay, the rest become `%XX`.
fn encode(part: &str) -> String {
    percent_encoding::utf8_percent_encode(part, SEGMENT).to_string()
}

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Compares without stopping at the first difference, so the time taken says nothing of
/// how much of a guessed token was right. Five lines, not a crate.
fn same_token(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

async fn serve_media(
    State(shared): State<Arc<Shared>>,
    UrlPath((token, library, key)): UrlPath<(String, String, String)>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if !shared.hosts.iter().any(|allowed| allowed == host) {
        return (StatusCode::FORBIDDEN, "wrong host").into_response();
    }
    if !same_token(&token, &shared.token) {
        return (StatusCode::FORBIDDEN, "wrong token").into_response();
    }
    let Some(served) = shared
        .folders
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(&library)
        .cloned()
    else {
        return (StatusCode::NOT_FOUND, "no such library").into_response();
    };
    let Some(path) = path_inside(&served.root, &key) else {
        return (StatusCode::BAD_REQUEST, "not a key of the library").into_response();
    };
    let catalog = served.catalog.clone();
    let lookup = key.clone();
    match tokio::task::spawn_blocking(move || catalog.has_media(&lookup)).await {
        Ok(Ok(true)) => {}
        Ok(Ok(false)) => return (StatusCode::NOT_FOUND, "not in the catalog").into_response(),
        _ => return (StatusCode::SERVICE_UNAVAILABLE, "the catalog is busy").into_response(),
    }
    // A link inside the folder may point out of it; what is served must be inside.
    match tokio::fs::canonicalize(&path).await {
        Ok(real) if real.starts_with(&served.root) => {}
        Ok(_) => return (StatusCode::FORBIDDEN, "outside the library folder").into_response(),
        Err(_) => return (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
    match ServeFile::new(&path).oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

#[cfg(test)]
mod tests;
