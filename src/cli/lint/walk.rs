//! Which files `lexls lint` reads: files named on the command line always; in folders, the
//! files the config selects (`*.txt` and `*.md` by default), skipping what `.gitignore`,
//! `.ignore` and hidden names hide.
//!
//! And where `--fix` may write ([`WriteScope`]): inside those folders and the files named.
//! Symlinks inside a folder are not followed, neither to files nor to folders, so walking
//! never leaves the tree. Hidden names are skipped, among them the `.lexls-fix-*` temporary
//! files an interrupted `--fix` can leave behind (see `atomic.rs`).

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
    sort_paths(&mut files);
    (files, errors)
}

/// Sorts `files` in the order of `Path` and drops repeats.
///
/// `Path` compares paths name by name, each name parsed out of the path as it goes, and
/// sorting an archive of a few thousand files that way cost as much as walking it. Paths of
/// names joined by single `/`, none of them `.` or `..`, as walks make them, are in that
/// order when compared as bytes with `/` before every other byte (a name before the longer
/// names it starts), and equal only when their bytes are.
fn sort_paths(files: &mut Vec<PathBuf>) {
    #[cfg(unix)]
    if files.iter().all(|p| is_plain(p)) {
        files.sort_by_cached_key(|p| plain_key(p));
        files.dedup();
        return;
    }
    files.sort();
    files.dedup();
}

/// Whether `path` is names joined by single `/`, perhaps after a leading `/`, none of them
/// `.` or `..`.
#[cfg(unix)]
fn is_plain(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let names = bytes.strip_prefix(b"/").unwrap_or(bytes);
    names
        .split(|&b| b == b'/')
        .all(|name| !matches!(name, b"" | b"." | b".."))
}

/// The bytes of `path` with each `/` made a zero byte, which no path holds: the keys of
/// [`is_plain`] paths compare as the paths do.
#[cfg(unix)]
fn plain_key(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let mut key = path.as_os_str().as_bytes().to_vec();
    for b in &mut key {
        if *b == b'/' {
            *b = 0;
        }
    }
    key
}

fn walk(dir: &Path, config: &Config, files: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(true)
        // A newsroom folder is not always a Git repository; its `.gitignore` still says
        // what is not an article.
        .require_git(false)
        // The defaults, spelled out because `--fix` relies on them: a symlink may point out
        // of the tree, and `.lexls-fix-*` files are half-written fixes, not articles.
        .follow_links(false)
        .hidden(true)
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let path = clean(e.path());
                if config.selects(&path) {
                    files.push(path);
                }
            }
            Ok(_) => {}
            Err(e) => errors.push(e.to_string()),
        }
    }
}

/// Where `lexls lint --fix` may write: files inside the folders named on the command line
/// and the files named there, compared after resolving symlinks. A walked file is always
/// inside, unless it was swapped for a symlink between the walk and the write; then the
/// fix is refused rather than written wherever the link points.
#[derive(Debug, Default)]
pub struct WriteScope {
    /// Canonical folders: anything below them may be written.
    folders: Vec<PathBuf>,
    /// Canonical files named on the command line (a named symlink's target is the user's
    /// choice).
    files: Vec<PathBuf>,
}

impl WriteScope {
    /// The scope of the command-line `paths`. A path that cannot be resolved adds nothing
    /// (`collect` reports it).
    pub fn new(paths: &[PathBuf]) -> WriteScope {
        let mut scope = WriteScope::default();
        for path in paths {
            let Ok(canonical) = std::fs::canonicalize(path) else {
                continue;
            };
            if canonical.is_dir() {
                scope.folders.push(canonical);
            } else {
                scope.files.push(canonical);
            }
        }
        scope
    }

    /// Whether `target`, a canonical path (`std::fs::canonicalize`), may be written.
    pub fn permits(&self, target: &Path) -> bool {
        self.files.iter().any(|f| f == target)
            || self
                .folders
                .iter()
                .any(|d| target.starts_with(d) && target != d.as_path())
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

    /// Symlinks in a folder are skipped, to files and to folders alike, and so are the
    /// temporary files an interrupted `--fix` leaves, even when `include` matches them.
    #[cfg(unix)]
    #[test]
    fn does_not_follow_symlinks_or_read_fix_leftovers() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let (tree, outside) = (dir.path().join("tree"), dir.path().join("outside"));
        std::fs::create_dir_all(tree.join("sub")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        for p in [
            tree.join("a.txt"),
            tree.join(".lexls-fix-x1Yz2W"),
            outside.join("o.txt"),
        ] {
            std::fs::write(p, "text").unwrap();
        }
        symlink(outside.join("o.txt"), tree.join("link.txt")).unwrap();
        symlink(&outside, tree.join("sub/folder-link")).unwrap();
        let config = Config {
            include: vec!["*".into()],
            ..Config::default()
        };
        let (files, errors) = collect(std::slice::from_ref(&tree), &config);
        assert_eq!(files, [tree.join("a.txt")]);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[cfg(unix)]
    #[test]
    fn write_scope_is_the_named_folders_and_files_after_resolving_links() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let (tree, outside) = (root.join("tree"), root.join("outside"));
        std::fs::create_dir_all(tree.join("sub")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        for p in [
            tree.join("sub/a.txt"),
            outside.join("o.txt"),
            outside.join("p.txt"),
        ] {
            std::fs::write(p, "text").unwrap();
        }
        symlink(outside.join("o.txt"), tree.join("link.txt")).unwrap();
        symlink(outside.join("p.txt"), root.join("named.txt")).unwrap();
        // Named as `tree/sub/..` and through a link: both resolve.
        let scope = WriteScope::new(&[
            tree.join("sub/.."),
            root.join("named.txt"),
            root.join("missing"),
        ]);
        let resolved = |p: &Path| std::fs::canonicalize(p).unwrap();
        assert!(scope.permits(&resolved(&tree.join("sub/a.txt"))));
        // A link inside the tree resolves outside it: refused.
        assert!(!scope.permits(&resolved(&tree.join("link.txt"))));
        // A link named on the command line: its target is the user's choice.
        assert!(scope.permits(&resolved(&root.join("named.txt"))));
        assert!(!scope.permits(&outside.join("o.txt")));
        assert!(
            !scope.permits(&tree),
            "the folder itself is not a file to write"
        );
        assert!(!scope.permits(&root.join("tree-sibling/a.txt")));
    }

    /// Paths compare name by name: `a/z.txt` comes before `a-b.txt` (`a` before `a-b`),
    /// though `/` is after `-` as a byte.
    #[test]
    fn files_come_in_the_order_of_their_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let names = [
            "a-b.txt",
            "a/z.txt",
            "a/b/c.txt",
            "a.txt",
            "a0/c.txt",
            "B.txt",
            "ä.txt",
            "a/b.txt",
        ];
        for f in names {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "text").unwrap();
        }
        let (files, errors) = collect(&[root.to_path_buf()], &Config::default());
        assert!(errors.is_empty(), "{errors:?}");
        let mut want: Vec<PathBuf> = names.iter().map(|f| root.join(f)).collect();
        want.sort();
        assert_eq!(files, want);
        assert_eq!(
            files[..4],
            ["B.txt", "a/b/c.txt", "a/b.txt", "a/z.txt"].map(|f| root.join(f))
        );
    }

    /// Plain paths sort as `Path` sorts them; the others are sorted by `Path` itself.
    #[test]
    fn paths_sort_as_path_sorts_them() {
        let names = [
            "a", "a/b", "a-b", "a/b/c", "a.b", "ab", "a0", "B", "ä", "/a", "/a/b", "/", "a/",
            "a//b", "./a", "a/./b", "../a", "a/..", "-", "..a", ".a",
        ];
        for x in names {
            for y in names {
                for z in names {
                    let mut want: Vec<PathBuf> = [x, y, z].map(PathBuf::from).to_vec();
                    want.sort();
                    want.dedup();
                    let mut got: Vec<PathBuf> = [x, y, z].map(PathBuf::from).to_vec();
                    sort_paths(&mut got);
                    assert_eq!(got, want, "{x} {y} {z}");
                }
            }
        }
        #[cfg(unix)]
        {
            assert!(is_plain(Path::new("/a/b.txt")) && is_plain(Path::new("a-b/.c")));
            for p in ["a//b", "a/", "./a", "a/../b", "/", ""] {
                assert!(!is_plain(Path::new(p)), "{p}");
            }
        }
    }

    #[test]
    fn cleans_dot_prefixes() {
        assert_eq!(clean(Path::new("./a/b.txt")), PathBuf::from("a/b.txt"));
        assert_eq!(clean(Path::new(".")), PathBuf::from("."));
    }
}
