//! Security (issue 8), on the real binary:
//!
//! - `lint --fix` writes only inside the linted tree: symlinks in it (to a file or a folder
//!   outside) are not followed, a hard link to an outside file is replaced rather than
//!   written through, and `.lexls.toml` paths pointing out (`../`, absolute) can add
//!   lexicon records but no file to lint or to write. Checked on the files, and under
//!   `strace` on every write-like system call.
//! - `lexls server` reads only the workspace, the configured lexicon files, its cache and a
//!   short list of system files; writes only in its cache; never executes anything and
//!   never creates a socket. Checked under `strace` over a stdio session.
//!
//! The `strace` checks need `strace` (and permission to trace a child, which ordinary
//! containers give). Without it they fail when `CI` is set, and otherwise print why they
//! did not run and pass. HTML escaping is tested in `tests/export.rs`.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::ffi::OsStringExt;
use std::path::{Component, Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_lexls");

/// How long any wait on the server may take before the test fails (a hang, not a timing).
const WAIT: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------------------
// A hostile tree for `lint --fix`

/// An extra lexicon outside the tree, named with `../`: `HBS` is its misspelling of `HSB`.
const EXTRA_RELATIVE: &str = r#"[[organisation]]
id = "harbour-safety-board"
name.en = "Harbour Safety Board"
acronyms = ["HSB"]
misspellings = ["HBS"]
"#;

/// An extra lexicon outside the tree, named by its absolute path.
const EXTRA_ABSOLUTE: &str = r#"[[organisation]]
id = "coast-watch-office"
name.en = "Coast Watch Office"
acronyms = ["CWO"]
misspellings = ["CWOO"]
"#;

/// A text with three safe fixes, one from the embedded lexicon and one from each extra one.
const MISSPELT: &str = "Officers of the ASEANPOL desk met the HBS and the CWOO on Monday.\n";

/// ```text
/// scratch/
///   outside/   victim.txt, hard-victim.txt, folder/inner.txt, stray.txt (all misspelt),
///              extra.toml, extra2.toml
///   tree/      .lexls.toml (lexicon and include/exclude paths pointing out)
///              a.txt, sub/b.txt (misspelt)
///              link.txt -> ../outside/victim.txt
///              sub/folder-link -> ../../outside/folder
///              hard.txt: a hard link to outside/hard-victim.txt
/// ```
struct Hostile {
    _dir: tempfile::TempDir,
    root: PathBuf,
    tree: PathBuf,
    outside: PathBuf,
}

impl Hostile {
    fn new() -> Hostile {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let (tree, outside) = (root.join("tree"), root.join("outside"));
        std::fs::create_dir_all(tree.join("sub")).unwrap();
        std::fs::create_dir_all(outside.join("folder")).unwrap();
        for p in [
            outside.join("victim.txt"),
            outside.join("hard-victim.txt"),
            outside.join("folder/inner.txt"),
            outside.join("stray.txt"),
            tree.join("a.txt"),
            tree.join("sub/b.txt"),
        ] {
            std::fs::write(p, MISSPELT).unwrap();
        }
        std::fs::write(outside.join("extra.toml"), EXTRA_RELATIVE).unwrap();
        std::fs::write(outside.join("extra2.toml"), EXTRA_ABSOLUTE).unwrap();
        let abs = outside.display();
        std::fs::write(
            tree.join(".lexls.toml"),
            format!(
                "lexicon = [\"../outside/extra.toml\", \"{abs}/extra2.toml\"]\n\
                 include = [\"*.txt\", \"../**\", \"../outside/*.txt\", \"{abs}/**\", \"/**\"]\n\
                 exclude = [\"../outside/victim.txt\", \"{abs}/folder/**\"]\n"
            ),
        )
        .unwrap();
        symlink("../outside/victim.txt", tree.join("link.txt")).unwrap();
        symlink("../../outside/folder", tree.join("sub/folder-link")).unwrap();
        std::fs::hard_link(outside.join("hard-victim.txt"), tree.join("hard.txt")).unwrap();
        Hostile {
            _dir: dir,
            root,
            tree,
            outside,
        }
    }

    /// Everything outside the tree: each path with its contents or link target (all text).
    fn outside_snapshot(&self) -> BTreeMap<PathBuf, String> {
        fn walk(dir: &Path, skip: &Path, out: &mut BTreeMap<PathBuf, String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                let meta = std::fs::symlink_metadata(&p).unwrap();
                if p == skip {
                    continue;
                } else if meta.is_symlink() {
                    let target = std::fs::read_link(&p).unwrap();
                    out.insert(p, format!("-> {}", target.display()));
                } else if meta.is_dir() {
                    walk(&p, skip, out);
                } else {
                    out.insert(p.clone(), std::fs::read_to_string(&p).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.root, &self.tree, &mut out);
        out
    }

    fn lint(&self, args: &[&str], path: &Path) -> (i32, Vec<Value>, String) {
        let out = Command::new(BIN)
            .arg("lint")
            .args(args)
            .args(["--format", "json"])
            .arg(path)
            .current_dir(&self.root)
            .env_remove("LEXLS_TEST_HOOKS")
            .output()
            .expect("lexls runs");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let findings: Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("JSON ({e}): {stderr}"));
        let code = out.status.code().expect("an exit code");
        (code, findings.as_array().unwrap().clone(), stderr)
    }
}

fn paths_of(findings: &[Value]) -> Vec<String> {
    let mut paths: Vec<String> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    paths.dedup();
    paths
}

fn rules_of(findings: &[Value]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect()
}

/// `lint` and `lint --fix` on the hostile tree: the outside lexicons are read (their
/// misspellings are found and fixed) but nothing outside the tree is linted or changed; the
/// hard link is replaced in the tree.
#[test]
fn lint_fix_never_writes_outside_the_tree() {
    let h = Hostile::new();
    let before = h.outside_snapshot();
    let tree = format!("{}/", h.tree.display());

    // Every file here has findings, so the files with findings are the files linted.
    let (code, findings, stderr) = h.lint(&[], &h.tree);
    assert_eq!(code, 1, "{stderr}");
    let linted = paths_of(&findings);
    assert_eq!(
        linted,
        ["a.txt", "hard.txt", "sub/b.txt"].map(|n| format!("{tree}{n}")),
        "only regular files inside the tree are linted"
    );
    let misspellings = rules_of(&findings)
        .iter()
        .filter(|r| **r == "known-misspelling")
        .count();
    assert_eq!(misspellings, 9, "three per file, from all three lexicons");

    let (code, findings, stderr) = h.lint(&["--fix"], &h.tree);
    assert!(code <= 1, "{stderr}");
    assert!(!stderr.contains("not fixed"), "{stderr}");
    assert!(paths_of(&findings).iter().all(|p| p.starts_with(&tree)));
    assert!(!rules_of(&findings).contains(&"known-misspelling"));
    let fixed = MISSPELT
        .replace("ASEANPOL", "ASEANAPOL")
        .replace("HBS", "HSB")
        .replace("CWOO", "CWO");
    for name in ["a.txt", "sub/b.txt", "hard.txt"] {
        assert_eq!(
            std::fs::read_to_string(h.tree.join(name)).unwrap(),
            fixed,
            "{name}"
        );
    }
    assert_eq!(
        h.outside_snapshot(),
        before,
        "nothing outside the tree changed"
    );
    assert!(
        std::fs::symlink_metadata(h.tree.join("link.txt"))
            .unwrap()
            .is_symlink()
    );
}

/// A symlink named on the command line is the user's choice: its target is fixed, and the
/// link stays a link.
#[test]
fn a_symlink_named_on_the_command_line_is_fixed_through() {
    let h = Hostile::new();
    let link = h.tree.join("link.txt");
    let (code, _, stderr) = h.lint(&["--fix"], &link);
    assert!(code <= 1, "{stderr}");
    let victim = std::fs::read_to_string(h.outside.join("victim.txt")).unwrap();
    assert!(victim.contains("ASEANAPOL") && !victim.contains("ASEANPOL"));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
}

/// `lint --fix` on the hostile tree under `strace`: every file opened for writing, created,
/// renamed, removed or made is inside the tree, and nothing is executed or connected.
#[test]
fn lint_fix_system_calls_write_only_inside_the_tree() {
    let Some(strace) = Strace::find("lint_fix_system_calls_write_only_inside_the_tree") else {
        return;
    };
    let h = Hostile::new();
    let before = h.outside_snapshot();
    // The trace and the working folder live apart from the hostile tree's folder.
    let aside = tempfile::tempdir().unwrap();
    let aside_root = std::fs::canonicalize(aside.path()).unwrap();
    let [cwd, log] = ["cwd", "trace"].map(|d| aside_root.join(d));
    std::fs::create_dir(&cwd).unwrap();
    std::fs::create_dir(&log).unwrap();
    let out = strace
        .command(&log)
        .args([BIN, "lint", "--fix", "--format", "json"])
        .arg(&h.tree)
        .current_dir(&cwd)
        .env_remove("LEXLS_TEST_HOOKS")
        .output()
        .expect("strace runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{stderr}");
    let trace = Trace::read(&log, &cwd);
    let pairs = trace.assert_runs_nothing_and_connects_nowhere();
    let writes = trace.writes();
    assert!(
        writes.iter().any(|w| w.path.starts_with(&h.tree)),
        "the fixes were written (is the trace complete?)"
    );
    let outside: Vec<String> = writes
        .iter()
        .filter(|w| !w.path.starts_with(&h.tree))
        .map(Access::show)
        .collect();
    assert!(outside.is_empty(), "writes outside the tree: {outside:#?}");
    assert_eq!(h.outside_snapshot(), before);
    eprintln!(
        "security: lint --fix: {} write-like calls, all inside the tree; {} opens in all; \
         no execve after the first; no socket or connect; {pairs} local AF_UNIX pair(s)",
        writes.len(),
        trace.opens()
    );
}

// ---------------------------------------------------------------------------------------
// The server under strace

/// Paths outside the workspace, the lexicon and the cache that the server may read: the
/// dynamic loader's cache and libraries, what the Rust runtime reads about the process and
/// the CPUs (`/proc/self/maps` for the main thread's stack, cgroup and CPU files for
/// `available_parallelism`), and the kernel's overcommit policy, which the allocator reads.
const SYSTEM_READS: &[&str] = &[
    "/etc/ld.so.cache",
    "/lib",
    "/lib64",
    "/usr/lib",
    "/usr/lib64",
    "/proc/self",
    "/proc/thread-self",
    "/sys/fs/cgroup",
    "/sys/devices/system/cpu",
    // mimalloc, the global allocator, reads the kernel's overcommit policy once at start-up.
    "/proc/sys/vm/overcommit_memory",
];

/// A workspace with two articles, a `.lexls.toml` naming a lexicon file beside the
/// workspace (`../lexicons/extra.toml`), and symlinks to a private folder (which must not
/// be read); `$HOME`, the cache and the working folder are empty folders of their own.
/// A stdio session (initialize, didOpen, hover, definition into both lexicons, references,
/// didSave of the article and the settings, shutdown, exit) runs under `strace`. Every
/// path opened, created, renamed, removed or made, successfully or not, is checked.
#[test]
fn the_server_reads_only_its_files_and_writes_only_its_cache() {
    use std::os::unix::fs::symlink;
    let Some(strace) = Strace::find("the_server_reads_only_its_files_and_writes_only_its_cache")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let [ws, lexicons, private, cache, home, cwd, log] =
        ["ws", "lexicons", "private", "cache", "home", "cwd", "trace"].map(|d| root.join(d));
    for d in [&ws, &lexicons, &private, &cache, &home, &cwd, &log] {
        std::fs::create_dir(d).unwrap();
    }
    let extra = lexicons.join("extra.toml");
    std::fs::write(&extra, EXTRA_RELATIVE).unwrap();
    let settings = ws.join(".lexls.toml");
    std::fs::write(&settings, "lexicon = [\"../lexicons/extra.toml\"]\n").unwrap();
    let article = "The HSB met the AMIC delegation in Hà Nội on Monday.\n";
    std::fs::write(ws.join("a.txt"), article).unwrap();
    std::fs::write(ws.join("b.txt"), "Another AMIC briefing followed.\n").unwrap();
    std::fs::write(private.join("secret.txt"), "A private AMIC note.\n").unwrap();
    symlink(private.join("secret.txt"), ws.join("linked.txt")).unwrap();
    symlink(&private, ws.join("linked-folder")).unwrap();

    let child = strace
        .command(&log)
        .args([BIN, "server"])
        .current_dir(&cwd)
        .env("HOME", &home)
        .env("XDG_CACHE_HOME", &cache)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("LEXLS_CACHE_DIR")
        .env_remove("LEXLS_TEST_HOOKS")
        // `cargo test` points the dynamic loader at the target folder; lexls needs only
        // the system's libraries, so the loader looks only where the system says.
        .env_remove("LD_LIBRARY_PATH")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("strace starts");
    let mut s = StdioServer::new(child);
    let uri = |p: &Path| format!("file://{}", p.display());
    let a = uri(&ws.join("a.txt"));
    s.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&ws), "capabilities": {},
               "workspaceFolders": [{"uri": uri(&ws), "name": "ws"}]}),
    );
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": a, "languageId": "plaintext", "version": 1, "text": article}}),
    );
    let at = |needle: &str| {
        let character = article.find(needle).unwrap() + 1;
        json!({"textDocument": {"uri": a}, "position": {"line": 0, "character": character}})
    };
    let hover = s.request("textDocument/hover", at("HSB"));
    assert!(
        hover.to_string().contains("Harbour Safety Board"),
        "the configured lexicon is used: {hover}"
    );
    let def = s.request("textDocument/definition", at("HSB"));
    assert_eq!(location_uri(&def), uri(&extra));
    let def = s.request("textDocument/definition", at("AMIC"));
    assert!(
        location_uri(&def).starts_with(&uri(&cache)),
        "the built-in lexicon is written to the cache: {def}"
    );
    let mut refs = s.request(
        "textDocument/references",
        json!({"textDocument": {"uri": a}, "position": at("AMIC")["position"],
               "context": {"includeDeclaration": true}}),
    );
    let mut files: Vec<String> = refs
        .as_array_mut()
        .expect("references")
        .iter()
        .map(|l| l["uri"].as_str().unwrap().to_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [a.clone(), uri(&ws.join("b.txt"))],
        "the workspace is read, the symlinks out of it are not followed"
    );
    s.notify("textDocument/didSave", json!({"textDocument": {"uri": a}}));
    s.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&settings)}}),
    );
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    let (code, stderr) = s.finish();
    assert_eq!(code, Some(0), "the server exits cleanly; stderr:\n{stderr}");

    let trace = Trace::read(&log, &cwd);
    let pairs = trace.assert_runs_nothing_and_connects_nowhere();
    let pids = trace.pids();
    let system = |p: &Path| {
        SYSTEM_READS.iter().any(|s| p.starts_with(s))
            // `/proc/self/…` as the kernel names it back: `/proc/<pid>/…` of a traced process.
            || p.strip_prefix("/proc").ok().and_then(|r| r.components().next()).is_some_and(
                |c| pids.iter().any(|pid| c.as_os_str() == pid.to_string().as_str()),
            )
    };
    let reads_ok =
        |p: &Path| p.starts_with(&ws) || p == extra || p.starts_with(&cache) || system(p);
    let mut bad = Vec::new();
    let mut counts = BTreeMap::<&str, usize>::new();
    for access in trace.accesses() {
        let ok = if access.write {
            access.path.starts_with(&cache)
        } else {
            reads_ok(&access.path)
        };
        if !ok {
            bad.push(access.show());
            continue;
        }
        let p = &access.path;
        let place = if access.write {
            "cache (write)"
        } else if p.starts_with(&ws) {
            "workspace"
        } else if p == &extra {
            "lexicon"
        } else if p.starts_with(&cache) {
            "cache (read)"
        } else {
            "system"
        };
        *counts.entry(place).or_default() += 1;
    }
    assert!(bad.is_empty(), "accesses outside the allowlist: {bad:#?}");
    for needed in ["workspace", "lexicon", "cache (write)"] {
        assert!(
            counts.contains_key(needed),
            "no {needed} access: is the trace complete?"
        );
    }
    eprintln!(
        "security: server: {} threads made traced calls; path accesses by place \
         {counts:?}; no execve after the first; no socket or connect; {pairs} local \
         AF_UNIX pair(s)",
        pids.len()
    );
}

fn location_uri(v: &Value) -> String {
    let loc = if v.is_array() { &v[0] } else { v };
    let u = loc["uri"].as_str().unwrap_or_default();
    // The server may name the file with `..` in it; compare the normalised path.
    let path = lexical(Path::new(u.strip_prefix("file://").unwrap_or(u)));
    format!("file://{}", path.display())
}

/// A synchronous LSP client over the child's stdio. Requests from the server are answered
/// with `null`; notifications are dropped.
struct StdioServer {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: mpsc::Receiver<Value>,
    stderr: Option<std::thread::JoinHandle<String>>,
    next_id: i64,
}

impl StdioServer {
    fn new(mut child: Child) -> StdioServer {
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut err = child.stderr.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            while let Some(msg) = read_frame(&mut stdout) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            s
        });
        StdioServer {
            child,
            stdin,
            incoming,
            stderr: Some(stderr),
            next_id: 0,
        }
    }

    fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).unwrap();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        stdin.write_all(&body).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result (failing on an error answer).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let msg = self.incoming.recv_timeout(WAIT).unwrap_or_else(|e| {
                let _ = self.child.kill();
                panic!("no answer to {method} ({e})")
            });
            if msg.get("method").is_some() {
                if let Some(server_id) = msg.get("id") {
                    let reply = json!({"jsonrpc": "2.0", "id": server_id, "result": null});
                    self.send(&reply);
                }
                continue;
            }
            if msg["id"] == json!(id) {
                assert!(msg.get("error").is_none(), "{method}: {msg}");
                return msg["result"].clone();
            }
        }
    }

    /// Closes stdin and waits for the process (bounded): its exit code and stderr.
    fn finish(mut self) -> (Option<i32>, String) {
        drop(self.stdin.take());
        let deadline = std::time::Instant::now() + WAIT;
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if std::time::Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit within {WAIT:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stderr = self.stderr.take().map(|h| h.join().unwrap_or_default());
        (status.code(), stderr.unwrap_or_default())
    }
}

impl Drop for StdioServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

// ---------------------------------------------------------------------------------------
// strace

/// The system calls traced: running programs, sockets, and everything that opens, creates,
/// renames, removes or makes a path. `?` skips a name the architecture lacks (aarch64 has
/// no `open`).
const TRACED: &str = "trace=execve,execveat,socket,socketpair,connect,?open,openat,?openat2,\
                      ?creat,?rename,renameat,?renameat2,?unlink,unlinkat,?rmdir,?mkdir,\
                      mkdirat,?link,linkat,?symlink,symlinkat,truncate";

/// `strace`, found (also used by `fix_interrupt.rs`).
pub(super) struct Strace;

impl Strace {
    /// `strace`, if installed. Without it: a failure when `CI` is set, else a note on
    /// stderr and `None` (the test passes without checking).
    pub(super) fn find(test: &str) -> Option<Strace> {
        let installed = Command::new("strace")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if installed {
            return Some(Strace);
        }
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: strace is not installed, and CI is set: install it (apt-get install strace)"
        );
        eprintln!(
            "security::{test}: NOT RUN: strace is not installed (apt-get install strace). \
             With CI set, this is a failure."
        );
        None
    }

    /// `strace` following every thread and child, one log per process or thread in `log/`
    /// (so no call is split across lines), every string hex-escaped (`-xx`, unambiguous to
    /// parse), file descriptors annotated with their paths (`-y`), strings in full.
    fn command(&self, log: &Path) -> Command {
        let mut c = Command::new("strace");
        c.args(["-ff", "-qq", "-xx", "-y", "-s", "65536", "-e", TRACED, "-o"])
            .arg(log.join("t"));
        c
    }
}

/// One traced call that names a path.
struct Access {
    /// The path, absolute and without `.` or `..`.
    path: PathBuf,
    /// Opened for writing, created, renamed, removed, or made.
    write: bool,
    /// The call's name and result, for failure messages.
    call: String,
}

impl Access {
    fn show(&self) -> String {
        let what = if self.write { "write" } else { "read" };
        format!("{what} {} ({})", self.path.display(), self.call)
    }
}

/// The parsed `strace -ff` logs: `(pid, line)` for every traced call.
struct Trace {
    lines: Vec<(u32, String)>,
    cwd: PathBuf,
}

impl Trace {
    fn read(log: &Path, cwd: &Path) -> Trace {
        let mut lines = Vec::new();
        for e in std::fs::read_dir(log).unwrap() {
            let p = e.unwrap().path();
            let pid: u32 = p
                .extension()
                .and_then(|x| x.to_str()?.parse().ok())
                .expect("log files are named t.<pid>");
            let text = std::fs::read_to_string(&p).unwrap();
            lines.extend(text.lines().map(|l| (pid, l.to_owned())));
        }
        assert!(!lines.is_empty(), "strace logged nothing");
        Trace {
            lines,
            cwd: cwd.to_owned(),
        }
    }

    fn pids(&self) -> Vec<u32> {
        let mut pids: Vec<u32> = self.lines.iter().map(|(p, _)| *p).collect();
        pids.sort();
        pids.dedup();
        pids
    }

    fn calls(&self) -> impl Iterator<Item = Call<'_>> {
        self.lines.iter().filter_map(|(_, l)| Call::parse(l))
    }

    /// One `execve` (strace starting lexls) and nothing else executed; no `socket` and no
    /// `connect`. An unnamed `AF_UNIX` socket pair is allowed: it links two ends inside
    /// the process and reaches nothing else (tokio's signal driver makes one when its
    /// `process` feature is on, as it is in test builds through the dev-dependencies).
    /// Returns how many such pairs there were.
    fn assert_runs_nothing_and_connects_nowhere(&self) -> usize {
        let execs: Vec<&str> = self
            .calls()
            .filter(|c| c.name.starts_with("execve"))
            .map(|c| c.line)
            .collect();
        assert_eq!(execs.len(), 1, "programs executed: {execs:#?}");
        let exec = Call::parse(execs[0]).unwrap();
        assert_eq!(exec.ret, "0", "{}", execs[0]);
        let exe = hex_quoted(exec.args[0]);
        assert_eq!(exe.as_deref(), Some(Path::new(BIN)), "{}", execs[0]);
        let local_pair = |c: &Call| c.name == "socketpair" && c.args[0] == "AF_UNIX";
        let sockets: Vec<&str> = self
            .calls()
            .filter(|c| matches!(c.name, "socket" | "socketpair" | "connect") && !local_pair(c))
            .map(|c| c.line)
            .collect();
        assert!(sockets.is_empty(), "sockets: {sockets:#?}");
        self.calls().filter(local_pair).count()
    }

    fn opens(&self) -> usize {
        self.calls()
            .filter(|c| matches!(c.name, "open" | "openat" | "openat2" | "creat"))
            .count()
    }

    fn writes(&self) -> Vec<Access> {
        self.accesses().into_iter().filter(|a| a.write).collect()
    }

    /// Every path named by a traced call, successful or not; for a successful open, the
    /// path the kernel gives for the new descriptor too (it shows where symlinks led).
    fn accesses(&self) -> Vec<Access> {
        let mut out = Vec::new();
        for c in self.calls() {
            let mut add = |path: Option<PathBuf>, write: bool| {
                let path = path.unwrap_or_else(|| panic!("cannot read a path in {}", c.line));
                let result = match annotation(c.ret) {
                    Some(p) => format!("{}", p.display()),
                    None => c.ret.to_owned(),
                };
                out.push(Access {
                    path,
                    write,
                    call: format!("{} = {result}", c.name),
                });
            };
            let writes_flags = ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"]
                .iter()
                .any(|f| c.args_text.contains(f));
            match c.name {
                "open" => add(self.at(None, c.args[0]), writes_flags),
                "openat" | "openat2" => add(self.at(Some(c.args[0]), c.args[1]), writes_flags),
                "creat" | "truncate" | "unlink" | "rmdir" | "mkdir" => {
                    add(self.at(None, c.args[0]), true)
                }
                "unlinkat" | "mkdirat" => add(self.at(Some(c.args[0]), c.args[1]), true),
                "rename" | "link" | "symlink" => {
                    if c.name != "symlink" {
                        add(self.at(None, c.args[0]), true);
                    }
                    add(self.at(None, c.args[1]), true);
                }
                "renameat" | "renameat2" | "linkat" => {
                    add(self.at(Some(c.args[0]), c.args[1]), true);
                    add(self.at(Some(c.args[2]), c.args[3]), true);
                }
                "symlinkat" => add(self.at(Some(c.args[1]), c.args[2]), true),
                _ => continue,
            }
            if matches!(c.name, "open" | "openat" | "openat2" | "creat")
                && let Some(fd_path) = annotation(c.ret)
            {
                add(Some(lexical(&fd_path)), writes_flags);
            }
        }
        out
    }

    /// The absolute path of `path` (a quoted argument), relative to the descriptor `dirfd`
    /// (`AT_FDCWD<…>` or `3<…>`, annotated by `-y`) or to the working folder.
    fn at(&self, dirfd: Option<&str>, path: &str) -> Option<PathBuf> {
        let path = hex_quoted(path)?;
        if path.is_absolute() {
            return Some(lexical(&path));
        }
        let base = match dirfd {
            Some(fd) => annotation(fd)?,
            None => self.cwd.clone(),
        };
        Some(lexical(&base.join(path)))
    }
}

/// One line of `strace -xx -y`: `name(arg, arg, …) = ret`.
struct Call<'a> {
    name: &'a str,
    args: Vec<&'a str>,
    args_text: &'a str,
    ret: &'a str,
    line: &'a str,
}

impl<'a> Call<'a> {
    /// `None` for lines that are not calls (signals).
    fn parse(line: &'a str) -> Option<Call<'a>> {
        let open = line.find('(')?;
        let name = &line[..open];
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return None;
        }
        // A call cut short by the end of the process has no result.
        let (args_text, ret) = match line.rfind(") = ") {
            Some(end) => (&line[open + 1..end], &line[end + 4..]),
            None => (
                line[open + 1..]
                    .trim_end_matches(" <unfinished ...>")
                    .trim_end_matches(')'),
                "?",
            ),
        };
        Some(Call {
            name,
            args: split_args(args_text),
            args_text,
            ret,
            line,
        })
    }
}

/// Splits at the commas between arguments, not those inside `[…]` or `{…}`. With `-xx`,
/// strings hold no comma or bracket.
fn split_args(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth -= 1,
            b',' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s[start..].trim());
    out
}

/// `"\x2f\x74…"` → the path.
fn hex_quoted(s: &str) -> Option<PathBuf> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    Some(PathBuf::from(std::ffi::OsString::from_vec(unhex(inner)?)))
}

/// The path in a `-y` annotation: `3<\x2f…>`, `AT_FDCWD<\x2f…>`.
fn annotation(s: &str) -> Option<PathBuf> {
    let inner = &s[s.find('<')? + 1..s.rfind('>')?];
    Some(PathBuf::from(std::ffi::OsString::from_vec(unhex(inner)?)))
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    s.split("\\x")
        .skip(1)
        .map(|h| u8::from_str_radix(h, 16).ok())
        .collect::<Option<Vec<u8>>>()
        .filter(|b| b.len() * 4 == s.len())
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}
