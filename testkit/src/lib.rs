//! What M3U8 Viewer's tests and benchmarks run against, in one crate so neither carries
//! a copy and the shipped `m3u8v` carries none of it: real S3 servers started on
//! 127.0.0.1 ([`servers`]), real H.264 media made with ffmpeg ([`media`]), and the built
//! desktop app in a real WebKit window driven through WebDriver ([`app`]).

pub mod app;
pub mod garage;
pub mod hls;
pub mod media;
pub mod scenes;
pub mod servers;
