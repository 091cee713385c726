//! The lexicon built into the binary, and its copy in the user's cache directory (so that
//! "go to definition" can open a real file at the record's line).

use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};

/// The files of `lexicon/`, embedded at build time: (file name, contents).
pub const EMBEDDED_FILES: &[(&str, &str)] = &[
    (
        "organisations.toml",
        include_str!("../../lexicon/organisations.toml"),
    ),
    ("meetings.toml", include_str!("../../lexicon/meetings.toml")),
    ("people.toml", include_str!("../../lexicon/people.toml")),
    ("places.toml", include_str!("../../lexicon/places.toml")),
    (
        "documents.toml",
        include_str!("../../lexicon/documents.toml"),
    ),
    ("terms.toml", include_str!("../../lexicon/terms.toml")),
];

/// The cache folder for this build's embedded lexicon: `$XDG_CACHE_HOME/lexls/<version>-<hash>`
/// (or the platform's cache folder). The hash of the contents keeps two builds apart.
pub fn embedded_cache_dir() -> Option<PathBuf> {
    let base = cache_home()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (name, text) in EMBEDDED_FILES {
        name.hash(&mut h);
        text.hash(&mut h);
    }
    Some(
        base.join("lexls")
            .join(format!("{}-{:016x}", env!("CARGO_PKG_VERSION"), h.finish()))
            .join("lexicon"),
    )
}

fn cache_home() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(p) = env("LEXLS_CACHE_DIR") {
        return Some(p);
    }
    if cfg!(windows) {
        return env("LOCALAPPDATA");
    }
    if cfg!(target_os = "macos") {
        return env("HOME").map(|h| h.join("Library/Caches"));
    }
    env("XDG_CACHE_HOME").or_else(|| env("HOME").map(|h| h.join(".cache")))
}

/// Writes the embedded file `name` to the cache folder (once; atomically) and returns its
/// path.
pub fn materialize_embedded(name: &str) -> io::Result<PathBuf> {
    let text = EMBEDDED_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no embedded {name}")))?;
    let dir = embedded_cache_dir()
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no cache directory"))?;
    let path = dir.join(name);
    if std::fs::read_to_string(&path).is_ok_and(|t| t == text) {
        return Ok(path);
    }
    std::fs::create_dir_all(&dir)?;
    write_atomic(&path, text.as_bytes())?;
    Ok(path)
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    // Unique per process and per call: two threads writing the same file must not share
    // a temporary file.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(
        ".{}.{}.{n}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("lexls"),
        std::process::id()
    ));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
