//! Process-wide canonical ids for function types, so `call_indirect` compares signatures
//! across modules with one integer comparison.
//!
//! Types are interned a recursion group at a time, in the canonical form of spec 3.0 section
//! 3.2 ("Type Equivalence", iso-recursive): inside a group's key, a reference to a type of
//! the same group is [`HeapType::Concrete`] with the index *relative to the group*, and a
//! reference to any type outside it is [`HeapType::Canonical`] with that type's id. Two
//! groups are equivalent exactly when their keys are equal, so equivalent groups of
//! different modules get the same ids: a group of `n` types owns the `n` consecutive ids
//! from its first. A type's id therefore stands for its whole group and its position in it,
//! its declared supertype and its finality, not only its parameters and results.
//!
//! Invariants: ids are never reused or removed; the stored type of an id ([`lookup`]) names
//! every defined type by canonical id; a declared supertype has a smaller id than its
//! subtype, or lies in the same group (validation orders them), so supertype chains end.

use super::vmcontext::VMSharedTypeId;
use crate::types::{FuncType, HeapType};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// One type of a recursion group in its canonical form (see the module docs): the key a
/// group is interned under is the list of its members.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GroupMember {
    /// The function type, with types of its own group as group-relative
    /// [`HeapType::Concrete`] indices and others as [`HeapType::Canonical`] ids.
    pub ty: FuncType,
    /// The declared supertype, named the same way; `None` when it declares none.
    pub supertype: Option<HeapType>,
    /// Whether no subtype may declare this type its supertype (`final`; types written
    /// without `sub` are final).
    pub is_final: bool,
}

/// What the registry keeps for one id.
struct Entry {
    /// The type with every defined type named by canonical id.
    ty: FuncType,
    /// The canonical id of the declared supertype.
    supertype: Option<u32>,
}

#[derive(Default)]
struct Registry {
    /// The first id of every interned group, by key.
    groups: HashMap<Vec<GroupMember>, u32>,
    /// Every id's entry, by id.
    entries: Vec<Entry>,
    /// The ids [`intern`] gave, by type: the same answer as `groups` for a one-type final
    /// group, found without building its key (host modules create many functions).
    singles: HashMap<FuncType, u32>,
}

fn registry() -> &'static Mutex<Registry> {
    static R: OnceLock<Mutex<Registry>> = OnceLock::new();
    R.get_or_init(Default::default)
}

fn lock() -> std::sync::MutexGuard<'static, Registry> {
    registry().lock().unwrap_or_else(|p| p.into_inner())
}

/// The canonical id of the first type of the recursion group `members` (the others follow
/// it in order), registering the group on first use.
pub fn intern_group(members: Vec<GroupMember>) -> VMSharedTypeId {
    let mut r = lock();
    if let Some(&first) = r.groups.get(&members) {
        return VMSharedTypeId(first);
    }
    let first = r.entries.len() as u32;
    let resolve = |h: HeapType| match h {
        HeapType::Concrete(i) => HeapType::Canonical(first + i),
        h => h,
    };
    for m in &members {
        let ty = m.ty.map_concrete(&|i| HeapType::Canonical(first + i));
        let supertype = m.supertype.map(resolve).and_then(|h| match h {
            HeapType::Canonical(id) => Some(id),
            _ => None,
        });
        r.entries.push(Entry { ty, supertype });
    }
    r.groups.insert(members, first);
    VMSharedTypeId(first)
}

/// The canonical id of `ty` as a group of its own: a final type with no declared
/// supertype, as a type section without `rec` and `sub` declares it (host functions' types).
/// `ty` names defined types by canonical id.
pub fn intern(ty: &FuncType) -> VMSharedTypeId {
    if let Some(&id) = lock().singles.get(ty) {
        return VMSharedTypeId(id);
    }
    let id = intern_group(vec![GroupMember { ty: ty.clone(), supertype: None, is_final: true }]);
    lock().singles.insert(ty.clone(), id.0);
    id
}

/// The function type behind a canonical id, its defined types named by canonical id.
pub fn lookup(id: VMSharedTypeId) -> Option<FuncType> {
    lock().entries.get(id.0 as usize).map(|e| e.ty.clone())
}

/// Whether the type `sub` matches the type `sup` (spec 3.0 section 3.3.2, "Defined Type
/// Subtyping"): they are the same type, or `sup` is on `sub`'s chain of declared
/// supertypes. Unknown ids match only themselves.
pub fn is_subtype(sub: VMSharedTypeId, sup: VMSharedTypeId) -> bool {
    if sub == sup {
        return true;
    }
    let r = lock();
    let mut at = sub.0;
    // Each step moves to a declared supertype; a chain is at most as long as the registry.
    for _ in 0..r.entries.len() {
        match r.entries.get(at as usize).and_then(|e| e.supertype) {
            Some(s) if s == sup.0 => return true,
            Some(s) => at = s,
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{RefType, ValType};

    fn member(ty: FuncType, supertype: Option<HeapType>, is_final: bool) -> GroupMember {
        GroupMember { ty, supertype, is_final }
    }

    fn refers_to(h: HeapType) -> FuncType {
        FuncType::new([ValType::Ref(RefType { nullable: true, heap: h })], [])
    }

    #[test]
    fn equivalent_groups_share_ids_and_differing_ones_do_not() {
        // (rec (type (func (param (ref null 1)))) (type (func (param (ref null 0)))))
        let group = || {
            vec![
                member(refers_to(HeapType::Concrete(1)), None, true),
                member(refers_to(HeapType::Concrete(0)), None, true),
            ]
        };
        let a = intern_group(group());
        assert_eq!(intern_group(group()), a);
        // The same two types, the first not final: a different group.
        let mut other = group();
        other[0].is_final = false;
        let b = intern_group(other);
        assert_ne!(a, b);
        // Resolved types name the group's own ids.
        let t = lookup(a).unwrap();
        assert_eq!(t.params()[0].as_ref().unwrap().heap, HeapType::Canonical(a.0 + 1));
        // A single type is not its group's first member even when structurally alike.
        assert_ne!(
            intern(&FuncType::new([], [])),
            intern_group(vec![member(FuncType::new([], []), None, false)])
        );
    }

    #[test]
    fn subtyping_follows_declared_supertypes() {
        let base = intern_group(vec![member(FuncType::new([], []), None, false)]);
        let mid = intern_group(vec![member(
            FuncType::new([], []),
            Some(HeapType::Canonical(base.0)),
            false,
        )]);
        let leaf = intern_group(vec![member(
            FuncType::new([], []),
            Some(HeapType::Canonical(mid.0)),
            true,
        )]);
        assert!(is_subtype(leaf, base));
        assert!(is_subtype(leaf, mid));
        assert!(is_subtype(mid, base));
        assert!(!is_subtype(base, mid));
        assert!(!is_subtype(base, intern(&FuncType::new([], []))));
    }
}
