//! Themes: Tera templates plus static files. The default theme is compiled
//! into the binary so `gongkai` builds from any folder; a theme folder on disk
//! overrides it file by file.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::error::{Error, Result};

/// The default theme, embedded at compile time.
static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A theme's files: `templates/…` by template name, `static/…` by output path.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (e.g. `html/month.html`) → (source, where it came from).
    pub templates: BTreeMap<String, (String, String)>,
    /// Output path under `static/` → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The embedded default theme overlaid with `dir`, when it exists.
    pub fn load(dir: Option<&Path>) -> Result<Theme> {
        let mut theme = Theme::default();
        add_embedded(&DEFAULT, &mut theme);
        if let Some(dir) = dir.filter(|d| d.is_dir()) {
            for entry in WalkDir::new(dir).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::Io(format!("{}: {e}", dir.display())))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .expect("walkdir stays under its root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                let bytes = fs::read(entry.path()).map_err(|e| Error::io(e, entry.path()))?;
                theme.add(&rel, bytes, entry.path().display().to_string());
            }
        }
        Ok(theme)
    }

    fn add(&mut self, rel: &str, bytes: Vec<u8>, origin: String) {
        if let Some(name) = rel.strip_prefix("templates/") {
            if crate::load::content::is_ignored(name.rsplit('/').next().unwrap_or(name)) {
                return;
            }
            self.templates.insert(
                name.to_owned(),
                (String::from_utf8_lossy(&bytes).into_owned(), origin),
            );
        } else if let Some(name) = rel.strip_prefix("static/") {
            self.statics.insert(name.to_owned(), bytes);
        }
    }
}

fn add_embedded(dir: &Dir<'static>, theme: &mut Theme) {
    for file in dir.files() {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        theme.add(
            &rel,
            file.contents().to_vec(),
            format!("(built-in) themes/default/{rel}"),
        );
    }
    for sub in dir.dirs() {
        add_embedded(sub, theme);
    }
}

/// Where to look for a theme named `name`: `--themes DIR` or `./themes`.
pub fn theme_dir(themes: Option<&Path>, name: &str) -> PathBuf {
    themes
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("themes"))
        .join(name)
}
