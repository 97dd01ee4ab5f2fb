//! The `name` custom section (spec appendix 7.4), decoded leniently: a malformed name section
//! is ignored, as the spec allows.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Names from the name section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Names {
    /// The module's name, if given.
    pub module: Option<String>,
    /// Function names by function index (ordered, so that an artifact's metadata, which
    /// holds them, is the same bytes at every compile of a module).
    pub functions: BTreeMap<u32, String>,
}

impl Names {
    pub(crate) fn decode(data: &[u8], offset: usize) -> Names {
        let mut names = Names::default();
        let reader =
            wasmparser::NameSectionReader::new(wasmparser::BinaryReader::new(data, offset as u64));
        for sub in reader {
            let Ok(sub) = sub else { break };
            match sub {
                wasmparser::Name::Module { name, .. } => names.module = Some(name.to_string()),
                wasmparser::Name::Function(map) => {
                    for naming in map.into_iter().flatten() {
                        names.functions.insert(naming.index, naming.name.to_string());
                    }
                }
                _ => {}
            }
        }
        names
    }
}
