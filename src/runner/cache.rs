//! Verdicts remembered, keyed by the content of everything that decides them: the
//! exercise file (and the files it uses), its chapter's suite, and the glue every suite
//! builds on (the library, the grader, the build script, the manifest, the lock file).
//! Change any of them and the key changes; nothing else can make a verdict stale.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::verdict::Verdict;
use super::workbook::{Ex, Workbook};

/// Where the cache lives, under the learner's local state folder.
const FILE: &str = ".workbook/verdicts.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    /// `TREE:CHAPTER::NAME` → the key it was graded under and the verdict.
    entries: BTreeMap<String, (String, Verdict)>,
    #[serde(skip)]
    path: PathBuf,
}

impl Cache {
    /// The cache of `workbook`; empty when there is none yet or it cannot be read (it is
    /// only a cache: a verdict lost is graded again).
    pub fn load(workbook: &Workbook) -> Cache {
        let path = workbook.root.join(FILE);
        let mut cache: Cache = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        cache.path = path;
        cache
    }

    pub fn get(&self, workbook: &Workbook, ex: &Ex, key: &str) -> Option<&Verdict> {
        self.entries
            .get(&slot(workbook, ex))
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn put(&mut self, workbook: &Workbook, ex: &Ex, key: String, verdict: Verdict) {
        self.entries.insert(slot(workbook, ex), (key, verdict));
    }

    /// Writes the cache back; a failure is reported, never fatal.
    pub fn save(&self) -> Result<(), String> {
        let write = || -> std::io::Result<()> {
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let tmp = self.path.with_extension("json.tmp");
            std::fs::write(
                &tmp,
                serde_json::to_vec(self).map_err(std::io::Error::other)?,
            )?;
            std::fs::rename(&tmp, &self.path)
        };
        write().map_err(|e| format!("cannot save {}: {e}", self.path.display()))
    }
}

fn slot(workbook: &Workbook, ex: &Ex) -> String {
    format!("{}:{}", workbook.tree.dir(), ex.id())
}

/// The files every chapter's verdicts depend on, besides its own.
fn glue(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "workbook.toml",
        ".cargo/config.toml",
        "src/lib.rs",
        "src/sync.rs",
        "src/process.rs",
        "src/manifest.rs",
        "grader/Cargo.toml",
    ]
    .iter()
    .map(|f| root.join(f))
    .collect();
    collect_rs(&root.join("grader/src"), &mut files);
    files.sort();
    files
}

fn collect_rs(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

/// Content keys for the exercises of a workbook; the glue is read once.
pub struct Keys {
    glue: [u8; 32],
}

impl Keys {
    pub fn new(workbook: &Workbook) -> Keys {
        let mut hash = Sha256::new();
        for file in glue(&workbook.root) {
            feed(&mut hash, &workbook.root, &file);
        }
        Keys {
            glue: hash.finalize().into(),
        }
    }

    /// The key of `ex`'s verdict: its file, the files it uses, its suite, the glue.
    pub fn of(&self, workbook: &Workbook, ex: &Ex) -> String {
        let mut hash = Sha256::new();
        hash.update(b"verdict v1\0");
        hash.update(workbook.tree.dir());
        hash.update(self.glue);
        let root = &workbook.root;
        feed(&mut hash, root, &workbook.path(&ex.source(workbook.tree)));
        for used in &ex.uses {
            let file = format!("{}/{}/{used}.rs", workbook.tree.dir(), ex.chapter);
            feed(&mut hash, root, &workbook.path(&file));
        }
        feed(
            &mut hash,
            root,
            &workbook.path(&format!("tests/{}.rs", ex.chapter)),
        );
        hex(&hash.finalize())
    }
}

/// The file's name (under `root`), length and content (or that it is missing).
fn feed(hash: &mut Sha256, root: &Path, file: &Path) {
    let name = file.strip_prefix(root).unwrap_or(file);
    hash.update(name.to_string_lossy().as_bytes());
    hash.update(b"\0");
    match std::fs::read(file) {
        Ok(bytes) => {
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(&bytes);
        }
        Err(_) => hash.update(b"\0missing\0"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
