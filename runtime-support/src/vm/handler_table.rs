//! Exception-handler tables of compiled code: for every call made inside a `try_table` or a
//! legacy `try`, which exceptions it catches and where (exception handling, spec 3.0
//! section 4.4.6, "Exception Handling").
//!
//! The compiler lowers such a call to Cranelift's `try_call`, whose exception table lists
//! the catching clauses of every handler around the call, innermost first: a module tag
//! index (`catch $t`, `catch_ref $t`, a legacy `catch $t`) or "any" (`catch_all`,
//! `catch_all_ref`, legacy `catch_all`), each with the code offset of its landing pad. The
//! first clause that matches wins. Tags are compared by identity ([`super::VMTag`]
//! addresses), after resolving the module's tag index through the instance that owns the
//! frame: its VMContext is saved in the frame at a known offset from the stack pointer of
//! the call site, so an imported tag matches the exporter's exceptions.
//!
//! The table is sorted by return address, so the unwinder finds a frame's call site by
//! binary search; a return address that is not in the table belongs to a call with no
//! handler, and costs nothing.

use serde::{Deserialize, Serialize};

/// The clause tag that catches any exception.
pub const CATCH_ALL: u32 = u32::MAX;

/// One call site with handlers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlerCallSite {
    /// Offset of the call's return address from the start of the code, in bytes.
    pub ret_addr: u32,
    /// Size of the caller's frame below its frame pointer at the call, in bytes: the stack
    /// pointer a landing pad runs with is the frame pointer minus this.
    pub frame_offset: u32,
    /// Offset of the saved VMContext of the caller from that stack pointer, in bytes.
    pub vmctx_sp_offset: u32,
    /// Index of the call site's first clause in [`HandlerTable::clauses`].
    pub first_clause: u32,
    /// Number of clauses.
    pub num_clauses: u32,
}

/// One catching clause of a call site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlerClause {
    /// The module tag index caught, or [`CATCH_ALL`].
    pub tag: u32,
    /// Offset of the landing pad from the start of the code, in bytes.
    pub landing: u32,
}

/// A module's handler table (see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlerTable {
    /// Call sites, sorted by return address (no two equal).
    pub call_sites: Vec<HandlerCallSite>,
    /// The clauses of every call site, each call site's in order.
    pub clauses: Vec<HandlerClause>,
}

impl HandlerTable {
    /// Whether the table has no call site.
    pub fn is_empty(&self) -> bool {
        self.call_sites.is_empty()
    }

    /// The call site whose return address is `ret_addr` (an offset in the code) and its
    /// clauses, if it has handlers.
    pub fn lookup(&self, ret_addr: u32) -> Option<(&HandlerCallSite, &[HandlerClause])> {
        let i = self.call_sites.binary_search_by_key(&ret_addr, |c| c.ret_addr).ok()?;
        let site = &self.call_sites[i];
        let start = site.first_clause as usize;
        let clauses = self.clauses.get(start..start + site.num_clauses as usize)?;
        Some((site, clauses))
    }

    /// Checks the table against code of `code_len` bytes and a module of `num_tags` tags:
    /// call sites sorted and distinct, return addresses and landing pads inside the code,
    /// every clause range inside the clauses, every tag a tag of the module, stack offsets
    /// aligned to 8 bytes and below 2 GiB.
    ///
    /// # Errors
    /// A message naming the first inconsistency.
    pub fn verify(&self, code_len: usize, num_tags: u32) -> Result<(), String> {
        let in_code = |o: u32| (o as usize) < code_len;
        let mut prev: Option<u32> = None;
        for s in &self.call_sites {
            if prev.is_some_and(|p| p >= s.ret_addr) {
                return Err("handler call sites are not sorted".into());
            }
            prev = Some(s.ret_addr);
            if !in_code(s.ret_addr.wrapping_sub(1)) || s.ret_addr == 0 {
                return Err(format!("handler call site {:#x} lies outside the code", s.ret_addr));
            }
            let aligned = |o: u32| o.is_multiple_of(8) && o < 1 << 31;
            if !aligned(s.frame_offset) || !aligned(s.vmctx_sp_offset) {
                return Err(format!("handler call site {:#x} has bad frame offsets", s.ret_addr));
            }
            let end = s.first_clause.checked_add(s.num_clauses);
            if end.is_none_or(|e| e as usize > self.clauses.len()) || s.num_clauses == 0 {
                return Err(format!("handler call site {:#x} has no valid clauses", s.ret_addr));
            }
        }
        for c in &self.clauses {
            if !in_code(c.landing) {
                return Err(format!("landing pad {:#x} lies outside the code", c.landing));
            }
            if c.tag != CATCH_ALL && c.tag >= num_tags {
                return Err(format!("handler names tag {}, which does not exist", c.tag));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> HandlerTable {
        HandlerTable {
            call_sites: vec![
                HandlerCallSite {
                    ret_addr: 8,
                    frame_offset: 16,
                    vmctx_sp_offset: 0,
                    first_clause: 0,
                    num_clauses: 2,
                },
                HandlerCallSite {
                    ret_addr: 20,
                    frame_offset: 32,
                    vmctx_sp_offset: 8,
                    first_clause: 2,
                    num_clauses: 1,
                },
            ],
            clauses: vec![
                HandlerClause { tag: 0, landing: 40 },
                HandlerClause { tag: CATCH_ALL, landing: 48 },
                HandlerClause { tag: 1, landing: 56 },
            ],
        }
    }

    #[test]
    fn lookup_finds_exact_return_addresses_only() {
        let t = table();
        let (site, clauses) = t.lookup(20).unwrap();
        assert_eq!(site.frame_offset, 32);
        assert_eq!(clauses, &[HandlerClause { tag: 1, landing: 56 }]);
        assert_eq!(t.lookup(8).unwrap().1.len(), 2);
        assert!(t.lookup(9).is_none());
        assert!(t.lookup(0).is_none());
    }

    #[test]
    fn verify_rejects_each_inconsistency() {
        assert_eq!(table().verify(64, 2), Ok(()));
        assert!(table().verify(50, 2).unwrap_err().contains("landing pad"));
        assert!(table().verify(64, 1).unwrap_err().contains("tag 1"));
        let mut t = table();
        t.call_sites.swap(0, 1);
        assert!(t.verify(64, 2).unwrap_err().contains("sorted"));
        let mut t = table();
        t.call_sites[1].num_clauses = 5;
        assert!(t.verify(64, 2).unwrap_err().contains("clauses"));
        let mut t = table();
        t.call_sites[0].frame_offset = 12;
        assert!(t.verify(64, 2).unwrap_err().contains("frame offsets"));
        let mut t = table();
        t.call_sites[1].ret_addr = 100;
        assert!(t.verify(64, 2).unwrap_err().contains("outside the code"));
    }
}
