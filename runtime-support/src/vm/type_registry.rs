//! Process-wide canonical ids for function types, so `call_indirect` compares signatures
//! across modules with one integer comparison. Types are interned in canonical form: the
//! defined types they name are [`crate::types::HeapType::Canonical`] ids, never module
//! indices ([`crate::module::ModuleInfo::shared_type_ids`]), so structurally equivalent types
//! of different modules get the same id (spec 3.0 section 3.2, "Type Equivalence").

use super::vmcontext::VMSharedTypeId;
use crate::types::FuncType;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

#[derive(Default)]
struct Registry {
    ids: HashMap<FuncType, u32>,
    types: Vec<FuncType>,
}

fn registry() -> &'static Mutex<Registry> {
    static R: OnceLock<Mutex<Registry>> = OnceLock::new();
    R.get_or_init(Default::default)
}

/// The canonical id of `ty`, registering it on first use. Ids are never reused.
pub fn intern(ty: &FuncType) -> VMSharedTypeId {
    let mut r = registry().lock().unwrap_or_else(|p| p.into_inner());
    if let Some(id) = r.ids.get(ty) {
        return VMSharedTypeId(*id);
    }
    let id = r.types.len() as u32;
    r.types.push(ty.clone());
    r.ids.insert(ty.clone(), id);
    VMSharedTypeId(id)
}

/// The function type behind a canonical id.
pub fn lookup(id: VMSharedTypeId) -> Option<FuncType> {
    let r = registry().lock().unwrap_or_else(|p| p.into_inner());
    r.types.get(id.0 as usize).cloned()
}
