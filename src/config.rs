//! The project file `.lexls.toml`, shared by the CLI and the server, and the same keys as
//! LSP settings (`initializationOptions`, `workspace/didChangeConfiguration`).
//!
//! ```toml
//! lexicon = ["lexicon/extra.toml", "more-records/"]   # relative to this file
//! inlay-hints = "first"          # first | all | off
//! entity-hints = false           # hint-level diagnostics on every mention (Helix)
//! allow = ["NATO", "OECD"]       # acronyms never flagged
//! include = ["*.txt", "*.md"]    # what `lexls lint` reads in folders
//! exclude = ["drafts/**"]
//!
//! [rules]
//! unknown-acronym = "off"        # error | warning | info | hint | off
//!
//! [[ignore]]                     # suppress findings without editing the article
//! rule = "unknown-acronym"       # optional
//! text = "XYZ"                   # optional: the finding's text
//! path = "archive/**"            # optional: a glob relative to this file
//!
//! [[overrides]]
//! paths = ["archive/**"]
//! rules = { acronym-before-definition = "off" }
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The project file's name.
pub const FILE_NAME: &str = ".lexls.toml";

/// A rule's level as configured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Hint => "hint",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// Which acronyms get their expansion as an inlay hint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InlayHints {
    /// The first mention of each acronym.
    #[default]
    First,
    /// Every mention.
    All,
    Off,
}

/// A suppression: every given field must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    pub rule: Option<String>,
    pub text: Option<String>,
    pub path: Option<String>,
}

/// Rule levels for some paths.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub paths: Vec<String>,
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
}

/// The settings, from `.lexls.toml` or the editor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Config {
    /// Extra lexicon files or folders (relative paths are resolved against `root`).
    pub lexicon: Vec<PathBuf>,
    pub inlay_hints: InlayHints,
    pub entity_hints: bool,
    pub rules: BTreeMap<String, Level>,
    pub allow: Vec<String>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub ignore: Vec<Ignore>,
    pub overrides: Vec<Override>,
    /// The folder of the config file (not a key of the file).
    #[serde(skip)]
    pub root: Option<PathBuf>,
    /// The config file itself, when read from one.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// A config file that cannot be used, with the place of the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Parses a config file's text. Relative lexicon paths are resolved against the file's
    /// folder.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut c: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = crate::lexicon::line_col(text, e.span().map_or(0, |s| s.start));
            ConfigError {
                file: path.display().to_string(),
                line,
                column,
                message: e.message().trim().to_owned(),
            }
        })?;
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        // Absolute, so that per-path settings match however a file's path is written.
        let root = std::path::absolute(&root).unwrap_or(root);
        c.validate(&path.display().to_string(), text)?;
        c.lexicon = c.lexicon.iter().map(|p| root.join(p)).collect();
        c.root = Some(root);
        c.path = Some(path.to_path_buf());
        Ok(c)
    }

    /// Reads settings from the editor (JSON with the same keys). `root` resolves relative
    /// lexicon paths (the workspace folder).
    pub fn from_json(value: &serde_json::Value, root: Option<&Path>) -> Result<Config, String> {
        let mut c: Config = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
        c.validate("settings", "").map_err(|e| e.message)?;
        if let Some(root) = root {
            c.lexicon = c.lexicon.iter().map(|p| root.join(p)).collect();
            c.root = Some(root.to_path_buf());
        }
        Ok(c)
    }

    fn validate(&self, file: &str, text: &str) -> Result<(), ConfigError> {
        let known = crate::rules::RULES;
        let all_rules = self
            .rules
            .keys()
            .chain(self.overrides.iter().flat_map(|o| o.rules.keys()))
            .chain(self.ignore.iter().filter_map(|i| i.rule.as_ref()));
        for r in all_rules {
            if !known.iter().any(|k| k.id == r) {
                let at = text.find(r.as_str()).unwrap_or(0);
                let (line, column) = crate::lexicon::line_col(text, at);
                let ids: Vec<&str> = known.iter().map(|k| k.id).collect();
                return Err(ConfigError {
                    file: file.to_owned(),
                    line,
                    column,
                    message: format!("unknown rule `{r}` (rules: {})", ids.join(", ")),
                });
            }
        }
        Ok(())
    }

    /// Finds `.lexls.toml` in `start` or the nearest folder above it and reads it.
    /// `Ok(None)` when there is none.
    pub fn discover(start: &Path) -> Result<Option<Config>, ConfigError> {
        let Some(path) = find_upward(start) else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            message: format!("cannot read: {e}"),
        })?;
        Config::from_toml(&text, &path).map(Some)
    }

    /// The level of `rule` for a file at `path` (overrides applied), or its default.
    pub fn level(&self, rule: &str, path: Option<&Path>) -> Level {
        let default = crate::rules::RULES
            .iter()
            .find(|r| r.id == rule)
            .map_or(Level::Warning, |r| r.default_level);
        let mut level = self.rules.get(rule).copied().unwrap_or(default);
        if let Some(path) = path.filter(|_| !self.overrides.is_empty()) {
            let rel = self.relative(path);
            for o in &self.overrides {
                if o.paths.iter().any(|g| glob_match(g, &rel))
                    && let Some(l) = o.rules.get(rule)
                {
                    level = *l;
                }
            }
        }
        level
    }

    /// Whether a finding of `rule` on `text` in `path` is suppressed by an `[[ignore]]`.
    pub fn ignored(&self, rule: &str, text: &str, path: Option<&Path>) -> bool {
        if self.ignore.is_empty() {
            return false; // asked for every finding: no path to make relative
        }
        let rel = path.map(|p| self.relative(p));
        self.ignore.iter().any(|i| {
            i.rule.as_deref().is_none_or(|r| r == rule)
                && i.text.as_deref().is_none_or(|t| t == text)
                && i.path
                    .as_deref()
                    .is_none_or(|g| rel.as_deref().is_some_and(|p| glob_match(g, p)))
        })
    }

    /// Whether `lexls lint` reads `path` when it walks a folder: it matches `include`
    /// (`*.txt` and `*.md` when empty) and no `exclude`. Patterns are relative to the
    /// config's folder; `path` may be relative to the current folder.
    pub fn selects(&self, path: &Path) -> bool {
        const DEFAULT_INCLUDE: [&str; 2] = ["*.txt", "*.md"];
        // A pattern without `/` matches the file's name wherever it is ([`glob_match`]).
        // When every pattern is one, as the defaults are, only the name is read: a walk of
        // a large archive made each path absolute and then relative to the config's folder,
        // two fifths of the walk's work, for patterns that read none of it.
        let by_name = !self
            .include
            .iter()
            .chain(&self.exclude)
            .any(|g| g.contains('/'));
        let subject: Cow<str> = match path.file_name().filter(|_| by_name) {
            // The name as the end of `relative`'s string, whose separators are `/` and `\`.
            Some(name) => match name.to_string_lossy() {
                Cow::Borrowed(n) => Cow::Borrowed(n.rsplit('\\').next().unwrap_or(n)),
                Cow::Owned(n) => Cow::Owned(n.rsplit('\\').next().unwrap_or(&n).to_owned()),
            },
            None => {
                let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
                Cow::Owned(self.relative(&absolute))
            }
        };
        let included = if self.include.is_empty() {
            DEFAULT_INCLUDE.iter().any(|g| glob_match(g, &subject))
        } else {
            self.include.iter().any(|g| glob_match(g, &subject))
        };
        included && !self.exclude.iter().any(|g| glob_match(g, &subject))
    }

    /// Whether [`Config::level`] or [`Config::ignored`] reads the path they are given: only
    /// for `overrides` and `ignore`. The path need not be made absolute otherwise.
    pub fn reads_paths(&self) -> bool {
        !self.overrides.is_empty() || !self.ignore.is_empty()
    }

    /// Whether an acronym is in `allow`.
    pub fn allows(&self, acronym: &str) -> bool {
        self.allow.iter().any(|a| a == acronym)
    }

    /// `path` relative to the config's folder, with `/` separators.
    fn relative(&self, path: &Path) -> String {
        let rel = self
            .root
            .as_deref()
            .and_then(|r| path.strip_prefix(r).ok())
            .unwrap_or(path);
        rel.to_string_lossy().replace('\\', "/")
    }
}

/// The nearest `.lexls.toml` at or above `start` (a file or folder).
pub fn find_upward(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() {
        start.parent()?
    } else {
        start
    };
    // The parent of `a.txt` is the empty path: the current folder.
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let start = std::path::absolute(start).ok()?;
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// A small glob: `*` (not `/`), `**` (any folders), `?`; a pattern without `/` matches the
/// file name anywhere (`*.md`).
pub fn glob_match(pattern: &str, path: &str) -> bool {
    if !pattern.contains('/') {
        let name = path.rsplit('/').next().unwrap_or(path);
        // `*.txt`, the commonest pattern, is an ending: the name has no `/` for `*` to stop
        // at, and the ending no wildcard.
        if let Some(ending) = pattern.strip_prefix('*')
            && !ending.contains(['*', '?'])
        {
            return name.ends_with(ending);
        }
        return glob(pattern.as_bytes(), name.as_bytes());
    }
    glob(pattern.trim_start_matches("./").as_bytes(), path.as_bytes())
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') if p.get(1) == Some(&b'*') => {
            let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
            if rest.is_empty() {
                return true;
            }
            (0..=s.len()).any(|i| (i == 0 || s[i - 1] == b'/') && glob(rest, &s[i..]))
                || glob(rest, s)
        }
        Some(b'*') => (0..=s.len())
            .take_while(|&i| i == 0 || s[i - 1] != b'/')
            .any(|i| glob(&p[1..], &s[i..])),
        Some(b'?') => !s.is_empty() && s[0] != b'/' && glob(&p[1..], &s[1..]),
        Some(&c) => s.first() == Some(&c) && glob(&p[1..], &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_key() {
        let text = r#"
lexicon = ["extra.toml"]
inlay-hints = "all"
entity-hints = true
allow = ["NATO"]
include = ["*.txt"]
exclude = ["drafts/**"]
[rules]
unknown-acronym = "off"
[[ignore]]
rule = "known-misspelling"
text = "ASEANPOL"
[[overrides]]
paths = ["archive/**"]
rules = { acronym-before-definition = "error" }
"#;
        let c = Config::from_toml(text, Path::new("/news/.lexls.toml")).unwrap();
        assert_eq!(c.lexicon, [PathBuf::from("/news/extra.toml")]);
        assert_eq!(c.inlay_hints, InlayHints::All);
        assert!(c.entity_hints && c.allows("NATO") && !c.allows("nato"));
        assert_eq!(c.level("unknown-acronym", None), Level::Off);
        let archived = Path::new("/news/archive/2020/a.txt");
        assert_eq!(
            c.level("acronym-before-definition", Some(archived)),
            Level::Error
        );
        assert!(c.ignored("known-misspelling", "ASEANPOL", Some(archived)));
        assert!(!c.ignored("known-misspelling", "ASEANAPOL", None));
    }

    #[test]
    fn errors_name_the_place() {
        let e = Config::from_toml("inlay-hints = \"sometimes\"\n", Path::new("x/.lexls.toml"))
            .unwrap_err();
        assert!(e.to_string().starts_with("x/.lexls.toml:1:15:"), "{e}");
        let e = Config::from_toml(
            "[rules]\nno-such-rule = \"off\"\n",
            Path::new(".lexls.toml"),
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("unknown rule `no-such-rule`"), "{e}");
        let e = Config::from_toml("colour = 1\n", Path::new(".lexls.toml")).unwrap_err();
        assert!(e.message.contains("colour"), "{e}");
    }

    #[test]
    fn json_settings_use_the_same_keys() {
        let v = serde_json::json!({"inlay-hints": "off", "rules": {"unknown-acronym": "hint"}, "lexicon": ["a.toml"]});
        let c = Config::from_json(&v, Some(Path::new("/ws"))).unwrap();
        assert_eq!(c.inlay_hints, InlayHints::Off);
        assert_eq!(c.level("unknown-acronym", None), Level::Hint);
        assert_eq!(c.lexicon, [PathBuf::from("/ws/a.toml")]);
        assert!(Config::from_json(&serde_json::json!({"inlay-hints": 3}), None).is_err());
    }

    #[test]
    fn selects_files_for_lint() {
        let c = Config::default();
        assert!(c.selects(Path::new("a/b.txt")) && c.selects(Path::new("b.md")));
        assert!(!c.selects(Path::new("a/b.toml")));
        let text = "include = [\"*.text\"]\nexclude = [\"drafts/**\"]\n";
        let c = Config::from_toml(text, Path::new("/news/.lexls.toml")).unwrap();
        assert!(c.selects(Path::new("/news/a/x.text")));
        assert!(!c.selects(Path::new("/news/x.txt")));
        assert!(!c.selects(Path::new("/news/drafts/x.text")));
    }

    /// Patterns that name no folder read the file's name alone, as they would read it at the
    /// end of the path made relative to the config's folder; a pattern with a folder reads a
    /// relative path from the current folder.
    #[test]
    fn selects_by_name_or_by_path_from_the_config() {
        let by_name = Config::from_toml(
            "include = [\"*.text\", \"b?.txt\"]\nexclude = [\"draft-*\"]\n",
            Path::new("/news/.lexls.toml"),
        )
        .unwrap();
        for (path, selected) in [
            ("/news/a/x.text", true),
            ("/elsewhere/x.text", true),
            ("x.text", true),
            ("a/bc.txt", true),
            ("a/bcd.txt", false),
            ("a/draft-1.text", false),
            // `relative` reads `\` as a separator.
            ("a/draft\\x.text", true),
            ("a/x\\draft-1.text", false),
            ("a/x.text/..", false),
        ] {
            assert_eq!(by_name.selects(Path::new(path)), selected, "{path}");
        }
        let cwd = std::env::current_dir().unwrap();
        let by_path =
            Config::from_toml("include = [\"sub/*.txt\"]\n", &cwd.join(".lexls.toml")).unwrap();
        assert!(by_path.selects(Path::new("sub/a.txt")));
        assert!(by_path.selects(&cwd.join("sub/a.txt")));
        assert!(!by_path.selects(Path::new("a.txt")));
        assert!(!by_path.selects(Path::new("other/sub/a.txt")));
    }

    #[test]
    fn relative_config_paths_become_absolute() {
        let c = Config::from_toml("", Path::new(".lexls.toml")).unwrap();
        assert!(c.root.unwrap().is_absolute());
    }

    /// The shortcut for `*` and an ending answers as the general match does.
    #[test]
    fn an_ending_matches_as_the_glob_does() {
        let names = [
            "", "a", ".txt", "a.txt", "a.txt.md", "b.tx", "txt", "a.b.txt", "*.txt",
        ];
        for pattern in ["*", "*.txt", "*txt", "*.md", "*.t?t", "**.txt", "*a*"] {
            for name in names {
                for path in [name.to_owned(), format!("x/{name}")] {
                    let name = path.rsplit('/').next().unwrap();
                    assert_eq!(
                        glob_match(pattern, &path),
                        glob(pattern.as_bytes(), name.as_bytes()),
                        "{pattern} {path}"
                    );
                }
            }
        }
    }

    #[test]
    fn globs() {
        assert!(glob_match("*.md", "a/b/c.md"));
        assert!(!glob_match("*.md", "a/b/c.txt"));
        assert!(glob_match("archive/**", "archive/2020/x.txt"));
        assert!(glob_match("**/draft-*.txt", "a/b/draft-1.txt"));
        assert!(glob_match("**/draft-*.txt", "draft-1.txt"));
        assert!(!glob_match("archive/*.txt", "archive/2020/x.txt"));
        assert!(glob_match("a/?.txt", "a/b.txt"));
    }
}
