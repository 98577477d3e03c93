//! The ingest configuration: the router's TOML (destinations, ceilings,
//! rules; see `stix_core::route`) plus an optional `[publish]` section with
//! the TLP ceiling of each TAXII collection we publish to.
//!
//! ```toml
//! [publish]
//! default_max_tlp = "green"        # collections not listed below
//! [publish.collections]
//! "a2c4e6f8-3b5d-4f71-8a9c-1e3d5f7b9d02" = "amber"
//! ```
//!
//! The `[publish]` tables are read here and blanked (line for line, so the
//! router's error positions stay right) before the rest goes to the router.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use stix_core::route::{Router, RouterConfig};
use stix_core::tlp::TlpLevel;

use super::error::{PipelineError, Result};

/// TLP ceilings of the TAXII collections we publish to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishConfig {
    /// Ceiling of collections not listed (GREEN unless configured: a
    /// TAXII collection is shared with a community).
    #[serde(default = "default_publish_tlp")]
    pub default_max_tlp: TlpLevel,
    /// Ceiling per collection id.
    #[serde(default)]
    pub collections: BTreeMap<String, TlpLevel>,
}

fn default_publish_tlp() -> TlpLevel {
    TlpLevel::Green
}

impl Default for PublishConfig {
    fn default() -> Self {
        PublishConfig {
            default_max_tlp: default_publish_tlp(),
            collections: BTreeMap::new(),
        }
    }
}

impl PublishConfig {
    /// The ceiling of a collection.
    pub fn ceiling(&self, collection: &str) -> TlpLevel {
        self.collections
            .get(collection)
            .copied()
            .unwrap_or(self.default_max_tlp)
    }
}

/// Router plus publishing settings.
#[derive(Debug, Clone)]
pub struct IngestConfig {
    /// The router (destinations, ceilings, rules).
    pub router: Router,
    /// Publishing ceilings.
    pub publish: PublishConfig,
    /// Where it came from (`default` or the file).
    pub source_name: String,
}

impl IngestConfig {
    /// The built-in routes, GREEN as the publishing ceiling.
    pub fn default_config() -> IngestConfig {
        IngestConfig {
            router: Router::with_default_config(),
            publish: PublishConfig::default(),
            source_name: "default".into(),
        }
    }

    /// Reads a configuration file.
    pub fn from_file(path: &Path) -> Result<IngestConfig> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| PipelineError::Config {
            source_name: name.clone(),
            message: e.to_string(),
        })?;
        IngestConfig::from_toml_str(&text, &name)
    }

    /// Reads a configuration from TOML text.
    pub fn from_toml_str(text: &str, source_name: &str) -> Result<IngestConfig> {
        let cfg_err = |message: String| PipelineError::Config {
            source_name: source_name.to_owned(),
            message,
        };
        let (routes, publish_text) = split_publish(text);
        let publish = if publish_text.trim().is_empty() {
            PublishConfig::default()
        } else {
            #[derive(Deserialize)]
            struct Wrapper {
                publish: PublishConfig,
            }
            toml::from_str::<Wrapper>(&publish_text)
                .map_err(|e| cfg_err(format!("[publish]: {e}")))?
                .publish
        };
        let config = RouterConfig::from_toml_str(&routes).map_err(|e| cfg_err(e.to_string()))?;
        let router = Router::new(config).map_err(|e| cfg_err(e.to_string()))?;
        Ok(IngestConfig {
            router,
            publish,
            source_name: source_name.to_owned(),
        })
    }
}

/// Splits TOML text into (everything else with the `[publish]` tables
/// blanked, the `[publish]` tables alone).
fn split_publish(text: &str) -> (String, String) {
    let mut rest = String::with_capacity(text.len());
    let mut publish = String::new();
    let mut in_publish = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with('[') {
            let header = t
                .trim_start_matches('[')
                .trim_start()
                .trim_start_matches('"');
            in_publish = header.starts_with("publish]")
                || header.starts_with("publish.")
                || header.starts_with("publish ]")
                || header.starts_with("publish\"");
        }
        if in_publish {
            publish.push_str(line);
            rest.push('\n');
        } else {
            rest.push_str(line);
            publish.push('\n');
        }
    }
    (rest, publish)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_section_is_split_off() {
        let text = format!(
            "{}\n[publish]\ndefault_max_tlp = \"clear\"\n[publish.collections]\n\"abc\" = \"amber\"\n",
            stix_core::route::DEFAULT_ROUTES_TOML
        );
        let c = IngestConfig::from_toml_str(&text, "t").unwrap();
        assert_eq!(c.publish.ceiling("abc"), TlpLevel::Amber);
        assert_eq!(c.publish.ceiling("other"), TlpLevel::Clear);
        assert!(c.router.config().destinations.contains_key("restricted"));
        let bad = IngestConfig::from_toml_str("[publish]\nceiling = 3\n", "bad.toml");
        assert!(matches!(bad, Err(PipelineError::Config { .. })));
        let d = IngestConfig::default_config();
        assert_eq!(d.publish.ceiling("x"), TlpLevel::Green);
    }
}
