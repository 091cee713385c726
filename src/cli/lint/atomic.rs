//! Writing a fixed file atomically: a temporary file in the same folder, with the original's
//! permissions, renamed over the original. A reader sees the old file or the new one, never
//! half of one, and a failed write leaves the original untouched.
//!
//! After the rename the folder is synced as well, so that the new entry survives a power cut
//! and not only the new contents.
//!
//! A process killed part-way (`SIGKILL`, a crash) leaves the old or the new file too, plus
//! a temporary file `.lexls-fix-*` beside each file it was writing at that moment. That
//! name is hidden, so `lexls lint` never reads it, and no run deletes it: another `--fix`
//! run may be writing it at that moment. `tests/reliability/fix_interrupt.rs` kills the real binary at each step
//! below (see [`failpoint`]) and at random moments.

use std::io::Write;
use std::path::Path;

/// Writes `contents` over the file `target`.
///
/// `target` must already be resolved (`std::fs::canonicalize`): it is the file to replace,
/// not a symlink to it. Should it have become a symlink since, the rename replaces the link
/// itself and writes nothing through it.
pub fn write(target: &Path, contents: &[u8]) -> std::io::Result<()> {
    use failpoint::Step;
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(target)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".lexls-fix-")
        .tempfile_in(dir)?;
    failpoint::hit(Step::AfterCreate, target);
    tmp.write_all(contents)?;
    failpoint::hit(Step::AfterWrite, target);
    tmp.as_file().sync_all()?;
    failpoint::hit(Step::AfterSync, target);
    tmp.as_file().set_permissions(permissions)?;
    failpoint::hit(Step::BeforeRename, target);
    tmp.persist(target).map_err(|e| e.error)?;
    // The rename is an entry of the folder: syncing the folder makes it last through a power
    // cut too, not only the contents. The fix is in place whatever this answers (some file
    // systems cannot sync a folder), so a failure is not reported.
    #[cfg(unix)]
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    failpoint::hit(Step::AfterRename, target);
    Ok(())
}

/// Test-only failpoints: with `LEXLS_TEST_HOOKS` set and `LEXLS_FAILPOINT=<step>` naming one
/// of the steps of [`write`], the process prints `lexls: failpoint <step>: <file>` to stderr
/// and aborts there, as a crash or `SIGKILL` would stop it (no destructor runs, so the
/// temporary file stays). The environment is read once per process; unset, a step costs
/// one atomic load.
mod failpoint {
    use std::io::Write;
    use std::path::Path;
    use std::sync::{Mutex, OnceLock};

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Step {
        /// The temporary file exists, empty.
        AfterCreate,
        /// The contents are written, not yet synced.
        AfterWrite,
        /// The contents are on disk; the permissions are not copied yet.
        AfterSync,
        /// The temporary file is complete; the original is untouched.
        BeforeRename,
        /// The new file is in place.
        AfterRename,
    }

    impl Step {
        const ALL: [Step; 5] = [
            Step::AfterCreate,
            Step::AfterWrite,
            Step::AfterSync,
            Step::BeforeRename,
            Step::AfterRename,
        ];

        fn name(self) -> &'static str {
            match self {
                Step::AfterCreate => "fix-after-create",
                Step::AfterWrite => "fix-after-write",
                Step::AfterSync => "fix-after-sync",
                Step::BeforeRename => "fix-before-rename",
                Step::AfterRename => "fix-after-rename",
            }
        }
    }

    /// The armed step, if any.
    fn armed() -> Option<Step> {
        static ARMED: OnceLock<Option<Step>> = OnceLock::new();
        *ARMED.get_or_init(|| {
            std::env::var_os("LEXLS_TEST_HOOKS")?;
            let name = std::env::var("LEXLS_FAILPOINT").ok()?;
            Step::ALL.into_iter().find(|s| s.name() == name)
        })
    }

    /// Aborts at `step` if it is armed. The first thread to get here prints its line and
    /// aborts; any other waits on the lock until the process is gone. Two threads reporting
    /// at once could otherwise leave a line cut short, since `writeln!` on the unbuffered
    /// stderr writes piece by piece and the abort may fall between two pieces.
    pub fn hit(step: Step, target: &Path) {
        static FIRST: Mutex<()> = Mutex::new(());
        if armed() == Some(step) {
            let _only = FIRST.lock();
            let line = format!("lexls: failpoint {}: {}\n", step.name(), target.display());
            let _ = std::io::stderr().write_all(line.as_bytes());
            std::process::abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_contents_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "old").unwrap();
        write(&p, b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write(&p, b"new").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    /// A file swapped for a symlink after it was resolved: the link is replaced, and its
    /// target (outside the linted tree, say) is not written.
    #[cfg(unix)]
    #[test]
    fn replaces_a_symlink_instead_of_writing_through_it() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "theirs").unwrap();
        let tree = dir.path().join("tree");
        std::fs::create_dir(&tree).unwrap();
        let p = tree.join("a.txt");
        std::os::unix::fs::symlink(&outside, &p).unwrap();
        write(&p, b"new").unwrap();
        assert_eq!(std::fs::read(&outside).unwrap(), b"theirs");
        assert!(!std::fs::symlink_metadata(&p).unwrap().is_symlink());
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
    }
}
