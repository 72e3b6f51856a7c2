//! `m3u8v-bench`: the benchmarks behind BENCHMARKS.md, apart from the shipped `m3u8v`
//! (they start S3 servers and build million-video catalogs). Run in release builds:
//!
//!     cargo run --release -p m3u8v-bench -- catalog --dir /tmp/bench
//!     cargo run --release -p m3u8v-bench -- sync
//!     cargo run --release -p m3u8v-bench -- folder
//!     cargo run --release -p m3u8v-bench -- bulk --dir /tmp/bench-bulk
//!     cargo run --release -p m3u8v-bench -- hls --dir /tmp/bench-hls

mod bulk;
mod catalog;
mod folder;
mod hls;
mod sync;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "m3u8v-bench", about = "M3U8 Viewer's benchmarks (release builds)")]
struct Cli {
    /// Print one machine-readable JSON document instead of text
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The catalog at scale against the original app's approach
    Catalog(catalog::BenchArgs),
    /// Bucket sync against plain listers on local S3 servers
    Sync(sync::BenchSyncArgs),
    /// Folder sync against `find` on the same tree
    Folder(folder::BenchFolderArgs),
    /// Bulk actions over a selection and search terms at a million videos
    Bulk(bulk::BenchBulkArgs),
    /// A no-op re-sync of a library with HLS videos against its plain listing
    Hls(hls::BenchHlsArgs),
}

fn main() -> ExitCode {
    // Timings of the steps inside a benchmark, with M3U8V_LOG=m3u8v_core=debug.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("M3U8V_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Catalog(args) => catalog::run(args, cli.json),
        Command::Sync(args) => sync::run(args, cli.json),
        Command::Folder(args) => folder::run(args, cli.json),
        Command::Bulk(args) => bulk::run(args, cli.json),
        Command::Hls(args) => hls::run(args, cli.json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("m3u8v-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}
