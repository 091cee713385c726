//! Which files `lexls lint` reads: files named on the command line always; in folders, the
//! files the config selects (`*.txt` and `*.md` by default), skipping what `.gitignore`,
//! `.ignore` and hidden names hide.

use std::path::{Path, PathBuf};

use crate::config::Config;

/// The files to check, sorted and without repeats, and an error message for each path that
/// could not be read.
pub fn collect(paths: &[PathBuf], config: &Config) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => errors.push(format!("{}: {e}", path.display())),
            Ok(m) if m.is_dir() => walk(path, config, &mut files, &mut errors),
            Ok(_) => files.push(clean(path)),
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn walk(dir: &Path, config: &Config, files: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(true)
        // A newsroom folder is not always a Git repository; its `.gitignore` still says
        // what is not an article.
        .require_git(false)
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let path = clean(e.path());
                let absolute = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
                if config.selects(&absolute) {
                    files.push(path);
                }
            }
            Ok(_) => {}
            Err(e) => errors.push(e.to_string()),
        }
    }
}

/// `./a/b.txt` → `a/b.txt`, so that paths print the same however they were reached.
fn clean(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .ok()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(path)
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_respecting_ignore_files_and_globs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "a.txt",
            "b.md",
            "c.toml",
            "skip/d.txt",
            "sub/e.txt",
            ".hidden/f.txt",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "text").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "skip/\n").unwrap();
        let (files, errors) = collect(
            &[
                root.to_path_buf(),
                root.join("c.toml"),
                root.join("missing.txt"),
            ],
            &Config::default(),
        );
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                f.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(names, ["a.txt", "b.md", "c.toml", "sub/e.txt"]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("missing.txt"), "{errors:?}");
    }

    #[test]
    fn cleans_dot_prefixes() {
        assert_eq!(clean(Path::new("./a/b.txt")), PathBuf::from("a/b.txt"));
        assert_eq!(clean(Path::new(".")), PathBuf::from("."));
    }
}
