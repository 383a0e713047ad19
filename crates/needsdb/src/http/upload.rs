//! Uploads stream to a file on disk, never into memory whole: a 64 MiB
//! import costs the server a 64 KiB buffer while it arrives, however slow
//! the link.

use super::problem::ApiError;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use http_body_util::BodyExt;
use std::path::Path;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// A slow link may pause; one that sends nothing for this long has gone.
pub const IDLE_LIMIT: Duration = Duration::from_secs(60);

/// An uploaded file, deleted when dropped.
pub struct Upload {
    pub path: tempfile::TempPath,
    pub bytes: u64,
    /// The first bytes, to tell the format by.
    pub head: Vec<u8>,
}

/// How a size reads to people: "64 MiB (67,108,864 bytes)".
pub fn describe_size(bytes: usize) -> String {
    let grouped = bytes
        .to_string()
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(",");
    format!("{} MiB ({grouped} bytes)", bytes / (1024 * 1024))
}

pub fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too-large",
        format!(
            "the file is larger than {}, the most one import takes: split it, or import it on the server with `needsdb import`",
            describe_size(limit)
        ),
    )
}

fn stored(e: std::io::Error) -> ApiError {
    tracing::warn!(error = %e, "an upload could not be stored");
    let detail = if e.raw_os_error() == Some(28) {
        "the server's storage is full, so the file was not taken; an administrator must free space. Try again later"
    } else {
        "the server could not store the file just now; try again later"
    };
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", detail).with_header(header::RETRY_AFTER, "60")
}

/// Streams `body` into a new file in `dir`, refusing more than `limit` bytes.
pub async fn receive(headers: &HeaderMap, body: Body, limit: usize, dir: &Path) -> Result<Upload, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    let file = tempfile::Builder::new()
        .prefix("needsdb-upload-")
        .tempfile_in(dir)
        .map_err(stored)?;
    let (std_file, path) = file.into_parts();
    let mut out = tokio::io::BufWriter::with_capacity(64 * 1024, tokio::fs::File::from_std(std_file));
    let mut body = body;
    let mut bytes: u64 = 0;
    let mut head = Vec::new();
    loop {
        let frame = match tokio::time::timeout(IDLE_LIMIT, body.frame()).await {
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "timeout",
                    format!(
                        "the upload stalled: nothing arrived for {} seconds",
                        IDLE_LIMIT.as_secs()
                    ),
                ));
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                // A body cut at the server's own limit says so; anything else
                // is a broken connection.
                let text = e.to_string();
                if text.contains("length limit") {
                    return Err(too_large(limit));
                }
                return Err(ApiError::bad_request(format!("the upload broke off: {text}")));
            }
            Ok(Some(Ok(f))) => f,
        };
        let Ok(data) = frame.into_data() else { continue };
        bytes += data.len() as u64;
        if bytes > limit as u64 {
            return Err(too_large(limit));
        }
        if head.len() < 512 {
            let take = (512 - head.len()).min(data.len());
            head.extend_from_slice(&data[..take]);
        }
        out.write_all(&data).await.map_err(stored)?;
    }
    out.flush().await.map_err(stored)?;
    Ok(Upload { path, bytes, head })
}

/// Uploads left behind by a server that stopped during their import. Only
/// day-old files go: another server sharing the folder may be using newer ones.
pub fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let day = std::time::Duration::from_secs(24 * 3600);
    for e in entries.flatten() {
        let stale = e.file_name().to_string_lossy().starts_with("needsdb-upload-")
            && e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > day);
        if stale && std::fs::remove_file(e.path()).is_ok() {
            tracing::info!(file = %e.path().display(), "removed an upload left by a stopped server");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_mebibytes_and_grouped_bytes() {
        assert_eq!(describe_size(64 * 1024 * 1024), "64 MiB (67,108,864 bytes)");
        assert_eq!(describe_size(2 * 1024 * 1024), "2 MiB (2,097,152 bytes)");
    }
}
